using System.CommandLine;
using BalticAI.Sovereignty.Cli.Policy;

var root = new RootCommand("balticai: command-line tools for the BalticAI sovereignty broker")
{
    PolicyCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
