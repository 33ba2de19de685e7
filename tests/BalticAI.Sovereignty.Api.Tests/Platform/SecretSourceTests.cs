using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>Outside Development a secret must not come from a settings file, only from the environment or user secrets.</summary>
public sealed class SecretSourceTests : IDisposable
{
    private const string Connection = "Host=db.internal;Database=balticai;Username=broker;Password=hunter2";
    private readonly string _directory = Directory.CreateTempSubdirectory("balticai-secrets-").FullName;

    [Fact]
    public void A_password_in_appsettings_is_refused_outside_development()
    {
        var failures = Validate("Production", file: new() { ["ConnectionStrings:Postgres"] = Connection, ["RabbitMq:Password"] = "s3cret" });

        failures.ShouldContain(f => f.StartsWith("ConnectionStrings:Postgres is a secret but comes from appsettings.json", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("RabbitMq:Password is a secret but comes from appsettings.json", StringComparison.Ordinal));
        failures.ShouldAllBe(f => !f.Contains("hunter2") && !f.Contains("s3cret"));
    }

    [Fact]
    public void The_same_secrets_from_the_environment_pass()
    {
        var failures = Validate("Production", file: new() { ["ConnectionStrings:Postgres"] = "Host=placeholder;Database=balticai" },
            environment: new() { ["ConnectionStrings:Postgres"] = Connection, ["RabbitMq:Password"] = "s3cret", ["Identity:PseudonymKey"] = Convert.ToBase64String(new byte[32]) });

        failures.ShouldBeEmpty();
    }

    [Fact]
    public void Development_may_keep_its_local_passwords_in_its_settings_file()
    {
        var failures = Validate("Development", file: new() { ["ConnectionStrings:Postgres"] = Connection, ["Identity:Mode"] = "Development" });

        failures.ShouldBeEmpty();
    }

    private IReadOnlyList<string> Validate(string environmentName, Dictionary<string, string?> file, Dictionary<string, string?>? environment = null)
    {
        var path = Path.Combine(_directory, "appsettings.json");
        var json = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, value) in file)
        {
            var parts = key.Split(':');
            var node = json;
            foreach (var part in parts[..^1])
            {
                node = (System.Text.Json.Nodes.JsonObject)(node[part] ??= new System.Text.Json.Nodes.JsonObject());
            }
            node[parts[^1]] = value;
        }
        File.WriteAllText(path, json.ToJsonString());
        // The environment provider comes last, as in WebApplication's defaults, so it wins.
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(path)
            .AddInMemoryCollection(environment ?? [])
            .Build();
        var validator = new DeploymentSecretsValidator(new HostingEnvironment { EnvironmentName = environmentName });
        var result = validator.Validate(null, DeploymentSecrets.From(configuration));
        return result.Failures?.ToList() ?? [];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
