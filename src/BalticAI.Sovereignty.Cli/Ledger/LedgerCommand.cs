using System.CommandLine;

namespace BalticAI.Sovereignty.Cli.Ledger;

/// <summary>`balticai ledger ...`: export the transparency log and verify it without trusting the broker.</summary>
public static class LedgerCommand
{
    public static Command Create() => new("ledger", "Export and verify the broker's transparency log")
    {
        ExportCommand.Create(),
        VerifyCommand.Create(),
        ProveCommand.Create(),
        MissingCommand.Create(),
        WitnessKeyCommand.Create(),
    };
}
