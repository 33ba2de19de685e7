using BalticAI.Sovereignty.Api.Callers.GettingCurrentCaller;
using BalticAI.Sovereignty.Api.Callers.ListingTenants;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Feeds;
using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using BalticAI.Sovereignty.Api.Infrastructure.Health;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Messaging;
using BalticAI.Sovereignty.Api.Infrastructure.OpenApi;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Signing;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;

var builder = WebApplication.CreateBuilder(args);
builder.AddSovereigntyHardening()
    .AddSovereigntyProblems()
    .AddSovereigntyIdentity()
    .AddSovereigntySigning()
    .AddSovereigntyPersistence()
    .AddSovereigntyMessaging()
    .AddSovereigntyHealth()
    .AddSovereigntyTelemetry()
    .AddSovereigntyOpenApi()
    .AddPolicies()
    .AddDatasets()
    .AddSites()
    .AddTrainingJobs()
    .AddDecisions()
    .AddRegulatorFeeds();
builder.AddTransparencyLog();
builder.AddProvenance();

var app = builder.Build();
app.UseSovereigntyProblems();
app.UseSovereigntyHardening();
app.UseAuthentication();
app.UseCallerRateLimits();
app.UseAuthorization();
app.UseDeclaredQuery();

app.MapSovereigntyHealth();
app.MapSovereigntyOpenApi();
app.MapJwks();
app.MapGetCurrentCaller();
app.MapListTenants();
app.MapPolicies();
app.MapDatasets();
app.MapSites();
app.MapTrainingJobs();
app.MapDecisions();
app.MapLedgerEndpoints();
app.MapProvenance();

app.Run();
