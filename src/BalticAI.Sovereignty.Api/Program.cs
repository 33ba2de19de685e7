using BalticAI.Sovereignty.Api.Callers.GettingCurrentCaller;
using BalticAI.Sovereignty.Api.Callers.ListingTenants;
using BalticAI.Sovereignty.Api.Infrastructure.Health;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Messaging;
using BalticAI.Sovereignty.Api.Infrastructure.OpenApi;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Signing;
using BalticAI.Sovereignty.Api.Ledger;

var builder = WebApplication.CreateBuilder(args);
builder.AddSovereigntyProblems()
    .AddSovereigntyIdentity()
    .AddSovereigntySigning()
    .AddSovereigntyPersistence()
    .AddSovereigntyMessaging()
    .AddSovereigntyHealth()
    .AddSovereigntyOpenApi();
builder.AddTransparencyLog();

var app = builder.Build();
app.UseSovereigntyProblems();
app.UseAuthentication();
app.UseAuthorization();

app.MapSovereigntyHealth();
app.MapSovereigntyOpenApi();
app.MapJwks();
app.MapGetCurrentCaller();
app.MapListTenants();
app.MapLedgerEndpoints();

app.Run();
