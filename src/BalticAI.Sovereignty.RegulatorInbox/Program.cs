using BalticAI.Sovereignty.RegulatorInbox;
using BalticAI.Sovereignty.RegulatorInbox.Reviewing;

if (args is [ProblemsCommand.Name, ..])
{
    return await ProblemsCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddRegulatorInbox();

var app = builder.Build();
app.MapInbox();

app.Run();
return 0;
