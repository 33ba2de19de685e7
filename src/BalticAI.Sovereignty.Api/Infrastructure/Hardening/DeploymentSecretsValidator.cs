using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>One configured value and the file it came from (null for environment, command line, memory).</summary>
public sealed record ConfiguredValue(string Key, string? Value, string? File);

/// <summary>Connections and secrets, with where each came from, so a secret left in a shipped file is caught.</summary>
public sealed class DeploymentSecrets
{
    public required ConfiguredValue Postgres { get; init; }
    public required ConfiguredValue RabbitMqPassword { get; init; }
    public required string IdentityMode { get; init; }
    public required ConfiguredValue PseudonymKey { get; init; }

    /// <summary>Every key that looks like a secret and the file it came from, if any.</summary>
    public required IReadOnlyList<ConfiguredValue> SecretLooking { get; init; }

    public static DeploymentSecrets From(IConfigurationRoot configuration)
    {
        ConfiguredValue Read(string key) => new(key, configuration[key], FileOf(configuration, key));
        return new DeploymentSecrets
        {
            Postgres = Read("ConnectionStrings:Postgres"),
            RabbitMqPassword = Read("RabbitMq:Password"),
            IdentityMode = configuration["Identity:Mode"] ?? "Entra",
            PseudonymKey = Read("Identity:PseudonymKey"),
            SecretLooking = configuration.AsEnumerable()
                .Where(e => !string.IsNullOrEmpty(e.Value) && LooksSecret(e.Key, e.Value))
                .Select(e => Read(e.Key))
                .ToList(),
        };
    }

    private static bool LooksSecret(string key, string value) =>
        key.EndsWith("Password", StringComparison.OrdinalIgnoreCase)
        || key.EndsWith("Secret", StringComparison.OrdinalIgnoreCase)
        || key.EndsWith("PseudonymKey", StringComparison.OrdinalIgnoreCase)
        || (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase) && value.Contains("Password", StringComparison.OrdinalIgnoreCase));

    /// <summary>The provider that wins for a key is the last one that has it.</summary>
    private static string? FileOf(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers.Reverse())
        {
            if (provider.TryGet(key, out _))
            {
                return provider is JsonConfigurationProvider json ? json.Source.Path : null;
            }
        }
        return null;
    }
}

internal sealed class DeploymentSecretsValidator(IHostEnvironment environment) : IValidateOptions<DeploymentSecrets>
{
    private const string UserSecretsFile = "secrets.json";

    public ValidateOptionsResult Validate(string? name, DeploymentSecrets options)
    {
        var failures = new List<string>();
        CheckPostgres(options.Postgres, failures);
        if (!string.Equals(options.IdentityMode, "Development", StringComparison.OrdinalIgnoreCase))
        {
            CheckPseudonymKey(options.PseudonymKey, failures);
        }
        if (!environment.IsDevelopment())
        {
            if (string.Equals(options.IdentityMode, "Development", StringComparison.OrdinalIgnoreCase))
            {
                // The development issuer's key is a file the broker makes itself: whoever can read it mints any tenant's tokens.
                failures.Add($"Identity:Mode is Development, which trusts tokens of the local development issuer; outside the Development environment ({environment.EnvironmentName}) set Identity__Mode=Entra");
            }
            if (string.IsNullOrEmpty(options.RabbitMqPassword.Value) || options.RabbitMqPassword.Value == "guest")
            {
                failures.Add("RabbitMq:Password is not set (the built-in guest account works only from localhost); set RabbitMq__Username and RabbitMq__Password in the environment");
            }
            foreach (var secret in options.SecretLooking.Where(s => s.File is not null && Path.GetFileName(s.File) != UserSecretsFile))
            {
                failures.Add($"{secret.Key} is a secret but comes from {secret.File}; outside Development secrets come only from environment variables ({secret.Key.Replace(":", "__", StringComparison.Ordinal)}) or user secrets");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPostgres(ConfiguredValue postgres, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(postgres.Value))
        {
            failures.Add($"{postgres.Key} is missing; set the environment variable ConnectionStrings__Postgres (Host=...;Database=balticai;Username=...;Password=...)");
            return;
        }
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(postgres.Value);
            if (string.IsNullOrWhiteSpace(parsed.Host) || string.IsNullOrWhiteSpace(parsed.Database))
            {
                failures.Add($"{postgres.Key} names no Host or no Database");
            }
        }
        catch (ArgumentException e)
        {
            // The message names the offending keyword, never the password's value.
            failures.Add($"{postgres.Key} is not a valid PostgreSQL connection string: {e.Message}");
        }
    }

    private static void CheckPseudonymKey(ConfiguredValue key, List<string> failures)
    {
        if (string.IsNullOrEmpty(key.Value))
        {
            failures.Add($"{key.Key} is required when Identity:Mode is not Development: a base64 key of at least 32 bytes, from the environment (Identity__PseudonymKey) or user secrets");
            return;
        }
        var bytes = new byte[key.Value.Length];
        if (!Convert.TryFromBase64String(key.Value, bytes, out var length) || length < 32)
        {
            failures.Add($"{key.Key} must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`)");
        }
    }
}
