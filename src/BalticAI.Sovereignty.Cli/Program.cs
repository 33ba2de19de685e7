using System.CommandLine;
using BalticAI.Sovereignty.Cli;
using BalticAI.Sovereignty.Cli.Keys;
using BalticAI.Sovereignty.Cli.Ledger;
using BalticAI.Sovereignty.Cli.Policy;
using BalticAI.Sovereignty.Cli.Seeding;
using BalticAI.Sovereignty.Cli.Tokens;

var root = new RootCommand("balticai: command-line tools for the BalticAI sovereignty broker")
{
    PolicyCommand.Create(),
    TokenCommand.Create(),
    LedgerCommand.Create(),
    KeysCommand.Create(),
    SeedCommand.Create(),
};

return await CliInvocation.InvokeAsync(root, args);
