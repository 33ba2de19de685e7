using System.Net.Http.Headers;
using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Fixtures;

/// <summary>
/// One broker per test class, against the real PostgreSQL (a schema of its own, dropped afterwards) and
/// the real RabbitMQ, with its own key files, and tokens from the same development issuer it trusts.
/// </summary>
public class BrokerFactory : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "balticai-tests", Guid.NewGuid().ToString("N"));
    private readonly Lazy<DevelopmentIssuer> _issuer;

    public BrokerFactory()
        : this("t_" + Guid.NewGuid().ToString("N")[..20])
    {
    }

    /// <summary>A broker on a schema that may already hold what an earlier broker (an earlier build) wrote.</summary>
    protected BrokerFactory(string schema)
    {
        Schema = schema;
        _issuer = new Lazy<DevelopmentIssuer>(() => new DevelopmentIssuer(
            EcPrivateKeyFile.LoadOrCreate(IssuerKeyPath, TimeProvider.System),
            DevelopmentIssuer.DefaultIssuer, DevelopmentIssuer.DefaultAudience, TimeProvider.System));
    }

    public string Schema { get; }

    /// <summary>False for a broker whose schema the next broker of a test starts on.</summary>
    protected virtual bool DropsSchema => true;

    public string DataDirectory => _dataDirectory;

    public string IssuerKeyPath => Path.Combine(_dataDirectory, "dev-issuer-key.json");

    public string SigningKeyDirectory => Path.Combine(_dataDirectory, "keys");

    /// <summary>Settings a derived fixture changes (e.g. an unreachable dependency).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = TestServices.PostgresConnectionString,
        ["RabbitMq:Host"] = TestServices.RabbitMqHost,
        ["RabbitMq:Port"] = TestServices.RabbitMqPort,
        ["Marten:Schema"] = Schema,
        ["Marten:ApplySchemaOnStartup"] = "true",
        // Feed tests turn feeds on with queues of their own; elsewhere nobody would drain the shared queues.
        ["Feeds:Enabled"] = "false",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Identity:DevelopmentIssuer:KeyPath", IssuerKeyPath);
        builder.UseSetting("Identity:PseudonymKeyPath", Path.Combine(_dataDirectory, "pseudonym-key"));
        builder.UseSetting("Signing:KeyDirectory", SigningKeyDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public string Token(string tenant, params string[] roles) =>
        _issuer.Value.MintToken(new TokenRequest(tenant, roles));

    public string Token(TokenRequest request) => _issuer.Value.MintToken(request);

    /// <summary>A client whose requests carry a token of <paramref name="tenant"/> with <paramref name="roles"/>.</summary>
    public HttpClient ClientFor(string tenant, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(tenant, roles));
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (DropsSchema)
        {
            await DropSchemaAsync();
        }
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        GC.SuppressFinalize(this);
    }

    private async Task DropSchemaAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // A fixture whose database is deliberately unreachable has no schema to drop.
        }
    }
}
