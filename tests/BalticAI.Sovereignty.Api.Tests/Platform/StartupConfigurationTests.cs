using static BalticAI.Sovereignty.Api.Tests.Platform.StartupFailures;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>
/// Starting the broker with bad configuration fails before it serves anything, and the failure names
/// every key to fix. None of these brokers gets as far as the database.
/// </summary>
public sealed class StartupConfigurationTests
{
    [Fact]
    public void An_empty_tenant_map_outside_development_is_refused()
    {
        var message = StartFailure("Production", Without($"Tenants:{Tenant}:Organisation", $"Tenants:{Tenant}:Name", $"Tenants:{Tenant}:Country"));

        message.ShouldContain("Tenants is empty");
        Failures(message).ShouldBe(1);
    }

    [Theory]
    [InlineData("PO")]
    [InlineData("lt")]
    [InlineData("XX")]
    public void An_unknown_country_in_the_tenant_map_is_named_with_its_key(string country)
    {
        var message = StartFailure("Production", With(($"Tenants:{Tenant}:Country", country)));

        message.ShouldContain($"Tenants:{Tenant}:Country '{country}' is not an EU/EEA ISO 3166-1 alpha-2 code");
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void A_missing_connection_string_is_refused()
    {
        var message = StartFailure("Production", Without("ConnectionStrings:Postgres"));

        message.ShouldContain("ConnectionStrings:Postgres is missing");
        Failures(message).ShouldBe(1);
    }

    [Theory]
    [InlineData("RateLimits:Writes:TokenLimit", "0", "RateLimits:Writes:TokenLimit is 0")]
    [InlineData("RateLimits:Reads:TokensPerPeriod", "100000", "RateLimits:Reads:TokensPerPeriod is 100000")]
    [InlineData("RateLimits:Anonymous:ReplenishmentPeriod", "00:00:00", "RateLimits:Anonymous:ReplenishmentPeriod is 00:00:00")]
    [InlineData("RateLimits:Reads:TokenLimit", "lots", "RateLimits:Reads:TokenLimit")]
    [InlineData("Api:RequestTimeout", "00:30:00", "Api:RequestTimeout is 00:30:00")]
    [InlineData("Https:KnownNetworks:0", "10.0.0.0/33", "Https:KnownNetworks:0 '10.0.0.0/33' is not a network in CIDR form")]
    public void Limits_out_of_range_are_named_in_development_too(string key, string value, string expected)
    {
        var message = StartFailure("Development", new Dictionary<string, string?> { [key] = value });

        message.ShouldContain(expected);
    }

    [Fact]
    public void An_organisation_mapped_from_tenants_of_two_countries_is_refused()
    {
        const string other = "5d1c6c1e-0a8f-4a36-9a5e-00000000a002";
        var message = StartFailure("Production", With(
            ($"Tenants:{other}:Organisation", "lt-rc"), ($"Tenants:{other}:Name", "Registru centras (PL)"), ($"Tenants:{other}:Country", "PL")));

        message.ShouldContain("organisation 'lt-rc' is mapped to countries LT, PL");
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void A_job_delegate_that_is_no_organisation_on_the_map_is_refused()
    {
        var message = StartFailure("Production", With(($"Tenants:{Tenant}:JobDelegates:0", "pl-cyfronett")));

        message.ShouldContain($"Tenants:{Tenant}:JobDelegates names 'pl-cyfronett', which is no organisation on the tenant map");
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void An_organisation_whose_tenants_list_different_job_delegates_is_refused()
    {
        const string other = "5d1c6c1e-0a8f-4a36-9a5e-00000000a003";
        var message = StartFailure("Production", With(
            ($"Tenants:{other}:Organisation", "lt-rc"), ($"Tenants:{other}:Name", "Registru centras (2)"), ($"Tenants:{other}:Country", "LT"),
            ($"Tenants:{other}:JobDelegates:0", "lt-rc")));

        message.ShouldContain("organisation 'lt-rc' has different JobDelegates on its tenants");
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void The_development_token_issuer_is_refused_outside_development()
    {
        var message = StartFailure("Production", With(("Identity:Mode", "Development")));

        message.ShouldContain("Identity:Mode is Development");
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void A_wrong_OTLP_endpoint_and_protocol_are_listed_with_a_wrong_rate_limit()
    {
        var message = StartFailure("Development", new Dictionary<string, string?>
        {
            ["Telemetry:Otlp:Endpoint"] = "collector:4317",
            ["Telemetry:Otlp:Protocol"] = "http/json",
            ["RateLimits:Writes:TokenLimit"] = "0",
        });

        message.ShouldContain("Telemetry:Otlp:Endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) 'collector:4317' is not an absolute http(s) URI");
        message.ShouldContain("Telemetry:Otlp:Protocol (or OTEL_EXPORTER_OTLP_PROTOCOL) 'http/json' is neither 'grpc' nor 'http/protobuf'");
        message.ShouldContain("RateLimits:Writes:TokenLimit is 0");
    }

    [Theory]
    [InlineData("Policy:Opa:AttemptTimeout", "00:00:00", "Policy:Opa:AttemptTimeout is 00:00:00; it must be between")]
    [InlineData("Policy:Opa:AttemptTimeout", "soon", "Policy:Opa:AttemptTimeout")]
    [InlineData("Policy:Opa:TotalTimeout", "00:00:02", "Policy:Opa:TotalTimeout is 00:00:02; it must be longer than Policy:Opa:AttemptTimeout (00:00:02)")]
    [InlineData("Policy:Opa:TotalTimeout", "2.00:00:00", "Policy:Opa:TotalTimeout is 2.00:00:00; it must be between")]
    [InlineData("Policy:Opa:MaxRetryAttempts", "0", "Policy:Opa:MaxRetryAttempts is 0; it must be at least 1")]
    [InlineData("Policy:Opa:RetryDelay", "-00:00:01", "Policy:Opa:RetryDelay is -00:00:01; it must be between 00:00:00 and 1.00:00:00")]
    [InlineData("Policy:Opa:MaxRetryDelay", "2.00:00:00", "Policy:Opa:MaxRetryDelay is 2.00:00:00; it must be between 00:00:00 and 1.00:00:00")]
    [InlineData("Policy:Opa:BackoffType", "Fibonacci", "Policy:Opa:BackoffType")]
    [InlineData("Policy:Opa:BackoffType", "7", "Policy:Opa:BackoffType is 7; use Constant, Linear or Exponential")]
    [InlineData("Policy:Opa:RetryDelay", "00:00:01", "let the retries' back-off add up to 00:00:10.5000000 (half as long again with jitter)")]
    [InlineData("Policy:Opa:MaxRetryAttempts", "20", "let the retries' back-off add up to")]
    [InlineData("Policy:Opa:SamplingDuration", "00:00:03", "Policy:Opa:SamplingDuration is 00:00:03; it must be at least twice Policy:Opa:AttemptTimeout (00:00:02)")]
    [InlineData("Policy:Opa:FailureRatio", "0", "Policy:Opa:FailureRatio is 0; it must be more than 0 and at most 1")]
    [InlineData("Policy:Opa:FailureRatio", "1.5", "Policy:Opa:FailureRatio is 1.5; it must be more than 0 and at most 1")]
    [InlineData("Policy:Opa:MinimumThroughput", "1", "Policy:Opa:MinimumThroughput is 1; it must be at least 2")]
    [InlineData("Policy:Opa:BreakDuration", "00:00:00.2", "Policy:Opa:BreakDuration is 00:00:00.2000000; it must be between 00:00:00.5000000")]
    [InlineData("Policy:Engine", "wasm", "Policy:Engine 'wasm' is neither 'embedded' nor 'opa'")]
    [InlineData("Policy:TestTimeout", "00:00:00", "Policy:TestTimeout must be positive, not 00:00:00")]
    [InlineData("Policy:BundleSigning:KeyId", "board", "Policy:BundleSigning:KeyId 'board' names none of Policy:BundleSigning:Keys")]
    public void A_wrong_policy_setting_is_named_with_its_key_and_nothing_else(string key, string value, string expected)
    {
        var message = StartFailure("Production", With((key, value)));

        message.ShouldContain(expected);
        Failures(message).ShouldBe(1);
    }

    [Theory]
    [InlineData("HS256", "a secret", "Policy:BundleSigning:Keys:0: Algorithm 'HS256' is not one of ES256")]
    [InlineData("ES256", "not a key", "Policy:BundleSigning:Keys:0: PublicKey is not a PEM public key for ES256")]
    [InlineData("ES384", null, "Policy:BundleSigning:Keys:0: PublicKey is not a PEM public key for ES384: an ES384 key is on a 384-bit curve, this one on a 256-bit one")]
    public void A_bundle_signing_key_that_cannot_verify_is_named_with_its_key(string algorithm, string? publicKey, string expected)
    {
        using var p256 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        var message = StartFailure("Production", With(
            ("Policy:BundleSigning:Keys:0:Id", "board"), ("Policy:BundleSigning:Keys:0:Algorithm", algorithm),
            ("Policy:BundleSigning:Keys:0:PublicKey", publicKey ?? p256.ExportSubjectPublicKeyInfoPem())));

        message.ShouldContain(expected);
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void Wrong_OPA_resilience_settings_are_listed_together_with_a_missing_OPA_address()
    {
        var message = StartFailure("Production", With(
            ("Policy:Engine", "opa"),
            ("Policy:Opa:AttemptTimeout", "00:00:10"),
            ("Policy:Opa:FailureRatio", "0"),
            ("Policy:Opa:MinimumThroughput", "0"),
            ("Policy:Opa:BreakDuration", "00:00:00")));

        message.ShouldContain("Policy:OpaUrl is required when Policy:Engine is 'opa'");
        // The default 6 s total and 10 s window are now too short for a 10 s attempt.
        message.ShouldContain("Policy:Opa:TotalTimeout is 00:00:06; it must be longer than Policy:Opa:AttemptTimeout (00:00:10)");
        message.ShouldContain("Policy:Opa:SamplingDuration is 00:00:10; it must be at least twice Policy:Opa:AttemptTimeout (00:00:10)");
        message.ShouldContain("Policy:Opa:FailureRatio is 0");
        message.ShouldContain("Policy:Opa:MinimumThroughput is 0");
        message.ShouldContain("Policy:Opa:BreakDuration is 00:00:00");
        Failures(message).ShouldBe(6);
    }

    [Fact]
    public void A_backoff_longer_than_the_total_less_one_attempt_is_refused_naming_every_key_that_makes_it()
    {
        var message = StartFailure("Production", With(
            ("Policy:Opa:RetryDelay", "00:00:01"),
            ("Policy:Opa:BackoffType", "Linear"),
            ("Policy:Opa:MaxRetryDelay", "00:00:02"),
            ("Policy:Opa:UseJitter", "false"),
            ("Policy:Opa:TotalTimeout", "00:00:06"),
            ("Policy:Opa:AttemptTimeout", "00:00:02")));

        // 1 + 2 + 2 s of back-off for the three retries; 6 s less a 2 s attempt leaves 4.
        message.ShouldContain("Policy:Opa:RetryDelay (00:00:01), Policy:Opa:BackoffType (Linear), Policy:Opa:MaxRetryDelay (00:00:02), "
            + "Policy:Opa:UseJitter (False) and Policy:Opa:MaxRetryAttempts (3) let the retries' back-off add up to 00:00:05; "
            + "it must be at most Policy:Opa:TotalTimeout less Policy:Opa:AttemptTimeout (00:00:04)");
        Failures(message).ShouldBe(1);
    }

    [Theory]
    [InlineData("Vault")]
    [InlineData("1")]
    [InlineData("Local,KeyVault")]
    public void An_unknown_signing_provider_is_listed_with_the_other_wrong_keys(string provider)
    {
        var message = StartFailure("Production", With(("Signing:Provider", provider), ("Identity:Mode", "Development")));

        message.ShouldContain($"Signing:Provider '{provider}' is unknown; use Local or KeyVault");
        message.ShouldContain("Identity:Mode is Development");
        Failures(message).ShouldBe(2);
    }

    [Fact]
    public void Every_problem_is_listed_in_one_failure()
    {
        var message = StartFailure("Production", new Dictionary<string, string?>());

        message.ShouldContain("The broker's configuration is invalid (Production)");
        message.ShouldContain("Tenants is empty");
        message.ShouldContain("ConnectionStrings:Postgres is missing");
        message.ShouldContain("Identity:PseudonymKey is required");
        message.ShouldContain("RabbitMq:Password is not set");
    }
}
