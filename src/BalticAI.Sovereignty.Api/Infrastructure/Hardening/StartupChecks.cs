using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Signing;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Policies;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// Checks every setting the broker cannot run correctly without, all at once and before any set-up
/// uses them, so one failed start lists every key to fix instead of the first one some set-up trips on.
/// Options the broker reads later are validated again on start (ValidateOnStart) by the same validators; the `Signing`
/// section, which set-up reads while the builder is composed, is bound only here and handed on (<see cref="Passed"/>).
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
        var signing = Check(failures, () => Bind<SigningOptions>(configuration, SigningOptions.SectionName), new SigningOptionsValidator(environment));
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
        // Not null: a section the binder could not read is one of the failures above.
        builder.Host.Properties[typeof(SigningOptions)] = signing!;
    }

    /// <summary>
    /// The section these checks bound and passed, for a set-up that composes services from it; refused when the
    /// checks have not run, so that no set-up can build from values they never saw.
    /// </summary>
    public static T Passed<T>(WebApplicationBuilder builder) where T : class =>
        builder.Host.Properties.TryGetValue(typeof(T), out var passed) && passed is T options
            ? options
            : throw new InvalidOperationException(
                $"{typeof(T).Name} has not passed the start-up checks; call AddSovereigntyHardening before the set-up that reads it");

    private static T Bind<T>(IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();

    /// <returns>What was read, whether it passed or not; null when it could not be read.</returns>
    private static T? Check<T>(List<string> failures, Func<T> read, IValidateOptions<T> validator) where T : class
    {
        try
        {
            var options = read();
            var result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
            return options;
        }
        catch (InvalidOperationException e)
        {
            // The binder's own message names the key and the value it could not convert.
            failures.Add(e.Message);
            return null;
        }
    }
}
