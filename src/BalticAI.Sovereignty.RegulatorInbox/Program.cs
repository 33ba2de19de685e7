using BalticAI.Sovereignty.RegulatorInbox;
using BalticAI.Sovereignty.RegulatorInbox.Reviewing;
using BalticAI.Sovereignty.RegulatorInbox.Witnessing;

if (args is [ProblemsCommand.Name, ..])
{
    return await ProblemsCommand.RunAsync(args[1..], Console.Out, Console.Error);
}
if (args is [WitnessKeyCommand.Name, ..])
{
    return await WitnessKeyCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddRegulatorInbox();

var app = builder.Build();
app.MapInbox();

app.Run();
return 0;
