using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Policies;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// Checks every setting the broker cannot run correctly without, all at once and before any set-up
/// uses them, so one failed start lists every key to fix instead of the first one some set-up trips on.
/// Options the broker reads later are validated again on start (ValidateOnStart) by the same validators.
/// </summary>
internal static class StartupChecks
{
    public static void ThrowIfInvalid(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var environment = builder.Environment;
        var failures = new List<string>();
        Check(failures, () => Bind<RateLimitOptions>(configuration, RateLimitOptions.SectionName), new RateLimitOptionsValidator());
        Check(failures, () => Bind<RequestLimitsOptions>(configuration, RequestLimitsOptions.SectionName), new RequestLimitsOptionsValidator());
        Check(failures, () => Bind<ProblemOptions>(configuration, ProblemOptions.SectionName), new ProblemOptionsValidator());
        Check(failures, () => Bind<TransportSecurityOptions>(configuration, TransportSecurityOptions.SectionName), new TransportSecurityOptionsValidator());
        Check(failures, () => Bind<TenantMapSettings>(configuration, TenantMapSettings.SectionName), new TenantMapValidator(environment));
        Check(failures, () => Bind<SigningSettings>(configuration, SigningSettings.SectionName), new SigningSettingsValidator());
        Check(failures, () => DeploymentSecrets.From(configuration), new DeploymentSecretsValidator(environment));
        Check(failures, () => Bind<PolicyOptions>(configuration, PolicyOptions.SectionName), new PolicyOptionsValidator());
        failures.AddRange(OtlpSettings.Validate(configuration));
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(
                $"The broker's configuration is invalid ({environment.EnvironmentName}); fix these keys "
                + "(environment variables write ':' as '__'; see docs/operations.md):"
                + string.Concat(failures.Select(f => Environment.NewLine + " - " + f)));
        }
    }

    private static T Bind<T>(IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();

    private static void Check<T>(List<string> failures, Func<T> read, IValidateOptions<T> validator) where T : class
    {
        try
        {
            var result = validator.Validate(Options.DefaultName, read());
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }
        catch (InvalidOperationException e)
        {
            // The binder's own message names the key and the value it could not convert.
            failures.Add(e.Message);
        }
    }
}
