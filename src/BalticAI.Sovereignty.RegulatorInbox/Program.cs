using BalticAI.Sovereignty.RegulatorInbox;

var builder = WebApplication.CreateBuilder(args);
builder.AddRegulatorInbox();

var app = builder.Build();
app.MapInbox();

app.Run();
