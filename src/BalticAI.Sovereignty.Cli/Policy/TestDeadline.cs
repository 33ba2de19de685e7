using System.CommandLine;
using System.Globalization;
using BalticAI.Sovereignty.Api.Policies;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// The limits `policy test` and `policy bundle` put on a bundle's tests, activation's by default, so a bundle whose
/// tests pass only given longer fails here first (exit code 2, or a failed test) rather than at activation:
/// `--timeout` per test (Policy:EvaluationTimeout) and `--deadline` for the whole run (Policy:TestTimeout).
/// </summary>
internal static class TestDeadline
{
    public static Option<TimeSpan> CreateTimeout() => new("--timeout")
    {
        Description = "Wall-clock limit per test query (the broker's Policy:EvaluationTimeout)",
        DefaultValueFactory = _ => new PolicyOptions().EvaluationTimeout,
    };

    // A CancellationTokenSource's timer takes at most this; past it the command would throw instead of answering.
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public static Option<TimeSpan> Create()
    {
        var deadline = new Option<TimeSpan>("--deadline")
        {
            Description = "Wall-clock limit for the whole run, from loading the bundle to its last test (the broker's Policy:TestTimeout)",
            DefaultValueFactory = _ => new PolicyOptions().TestTimeout,
        };
        deadline.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<TimeSpan>();
            if (value <= TimeSpan.Zero || value > Longest)
            {
                result.AddError($"--deadline must be positive and at most {Longest.TotalDays:0} days, not {value}");
            }
        });
        return deadline;
    }

    /// <summary>Why the run stopped, naming the option and the time it allowed.</summary>
    public static string Exceeded(TimeSpan deadline) =>
        $"the tests did not finish within the deadline of {deadline.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture)} s (--deadline, as Policy:TestTimeout at activation)";
}
