using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>A broker started with a valid production configuration but for some keys, and the failure that stops it.</summary>
internal static class StartupFailures
{
    public const string Tenant = "5d1c6c1e-0a8f-4a36-9a5e-00000000a001";

    private static readonly Dictionary<string, string?> ValidProduction = new()
    {
        ["ConnectionStrings:Postgres"] = "Host=db.internal;Database=balticai;Username=broker;Password=from-the-environment",
        ["RabbitMq:Password"] = "from-the-environment",
        ["Identity:PseudonymKey"] = Convert.ToBase64String(new byte[32]),
        [$"Tenants:{Tenant}:Organisation"] = "lt-rc",
        [$"Tenants:{Tenant}:Name"] = "Registru centras",
        [$"Tenants:{Tenant}:Country"] = "LT",
    };

    public static Dictionary<string, string?> With(params (string Key, string Value)[] changes)
    {
        var settings = new Dictionary<string, string?>(ValidProduction);
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }
        return settings;
    }

    public static Dictionary<string, string?> Without(params string[] keys)
    {
        var settings = new Dictionary<string, string?>(ValidProduction);
        foreach (var key in keys)
        {
            settings.Remove(key);
        }
        return settings;
    }

    public static string StartFailure(string environment, IReadOnlyDictionary<string, string?> settings)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        var failure = Should.Throw<Exception>(() => factory.CreateClient());
        // The checks' own exception when they caught something; otherwise everything, to show what did fail.
        return Chain(failure).FirstOrDefault(e => e.Message.StartsWith("The broker's configuration is invalid", StringComparison.Ordinal))?.Message
            ?? failure.ToString();
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var e in inner.SelectMany(Chain))
        {
            yield return e;
        }
    }

    /// <summary>How many keys the failure lists: one means the rest of the settings passed.</summary>
    public static int Failures(string message) => message.Split('\n').Count(line => line.StartsWith(" - ", StringComparison.Ordinal));
}
