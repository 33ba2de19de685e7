using BalticAI.Sovereignty.RegulatorInbox.Health;
using BalticAI.Sovereignty.RegulatorInbox.Reading;
using BalticAI.Sovereignty.RegulatorInbox.Receiving;
using BalticAI.Sovereignty.RegulatorInbox.Reviewing;
using BalticAI.Sovereignty.RegulatorInbox.Storage;
using BalticAI.Sovereignty.RegulatorInbox.Verification;
using BalticAI.Sovereignty.RegulatorInbox.Witnessing;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox;

public static class InboxSetup
{
    public static WebApplicationBuilder AddRegulatorInbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.SectionName).Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        builder.Services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.SectionName);
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is missing");
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient<IBrokerKeys, HttpBrokerKeys>(http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<EnvelopeCheck>();
        builder.Services.AddSingleton<InboxStore>();
        builder.Services.AddSingleton<InboxQueries>();
        builder.Services.AddSingleton<IntegrityProblems>();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<ConsumerState>();
        builder.Services.AddHostedService<FeedConsumer>();
        builder.Services.AddOptions<WitnessOptions>().BindConfiguration(WitnessOptions.SectionName).Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        builder.Services.AddSingleton<WitnessMemory>();
        builder.Services.AddSingleton<InclusionMemory>();
        builder.Services.AddSingleton<LogAuditMemory>();
        builder.Services.AddSingleton<WitnessProgress>();
        builder.Services.AddInboxHealth();
        if (builder.Configuration.GetSection(WitnessOptions.SectionName).Get<WitnessOptions>()?.Enabled == true)
        {
            var attempt = TimeSpan.FromSeconds(10);
            builder.Services.AddHttpClient(CheckpointWitness.HttpClientName, http => http.Timeout = ThrottledRetryHandler.LongestCall(attempt))
                .AddHttpMessageHandler(() => new ThrottledRetryHandler(attempt));
            builder.Services.AddHttpClient(CheckpointWitness.ProofsHttpClientName, http => http.Timeout = attempt);
            builder.Services.AddSingleton<WitnessTokens>();
            builder.Services.AddHostedService<CheckpointWitness>();
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/inbox", async (InboxQueries queries, CancellationToken ct, long after = 0, int limit = 100, string? type = null) =>
        {
            string? filter = null;
            if (type is not null && !EnvelopeTypeFilter.TryRead(type, out filter))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["type"] = ["type must be an event name in kebab case (access-refused), with or without eu.baltic-ai.sovereignty. before it"] },
                    title: "The inbox listing's query is not valid");
            }
            return Results.Ok(await queries.ReadAsync(after, Math.Clamp(limit, 1, 1000), filter, ct));
        });
        app.MapGet("/inbox/status", async (InboxQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.StatusAsync(ct)));
        app.MapInboxHealth();
        app.MapProblems();
        app.MapGet("/inbox/witness", async (
                WitnessMemory witness, InclusionMemory inclusions, LogAuditMemory audits, Microsoft.Extensions.Options.IOptions<WitnessOptions> options, CancellationToken ct) =>
            options.Value.Enabled
                ? Results.Ok(WitnessView.Of(await witness.StatusAsync(ct), await inclusions.StatusAsync(ct), await audits.StatusAsync(ct)))
                : Results.Problem("This inbox does not witness the ledger (Inbox:Witness:Enabled is false).", statusCode: StatusCodes.Status404NotFound));
        return app;
    }
}
