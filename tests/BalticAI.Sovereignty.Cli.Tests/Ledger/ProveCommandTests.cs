using System.CommandLine;
using BalticAI.Sovereignty.Cli.Ledger;

namespace BalticAI.Sovereignty.Cli.Tests.Ledger;

/// <summary>
/// `balticai ledger prove`: what it refuses before asking anyone, and a broker that cannot be asked. The proof itself is
/// tested against a running broker (EventProofTests in the API's tests).
/// </summary>
public sealed class ProveCommandTests
{
    [Theory]
    [InlineData("--witness", "no-key-here", "is not name=key")]
    [InlineData("--witness-quorum", "1", "--witness-quorum needs the witnesses")]
    [InlineData("--jwks", "/nonexistent/jwks.json", "jwks.json")]
    public async Task Bad_usage_is_exit_code_2_naming_it(string option, string value, string expected)
    {
        var (exit, _, error) = await RunAsync(Guid.NewGuid().ToString(), "--url", "http://127.0.0.1:1", option, value);

        exit.ShouldBe(2);
        error.ShouldContain(expected);
    }

    [Fact]
    public async Task A_broker_that_does_not_answer_is_exit_code_3_not_a_failed_proof()
    {
        // Nothing listens on port 1 of loopback.
        var (exit, output, error) = await RunAsync(Guid.NewGuid().ToString(), "--url", "http://127.0.0.1:1");

        exit.ShouldBe(3);
        output.ShouldBeEmpty();
        error.ShouldStartWith("the broker could not be asked");
    }

    [Fact]
    public async Task An_event_id_that_is_not_a_uuid_is_refused_by_the_parser()
    {
        var (exit, _, _) = await RunAsync("not-a-uuid", "--url", "http://127.0.0.1:1");

        exit.ShouldNotBe(0);
        exit.ShouldNotBe(3);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await new RootCommand { LedgerCommand.Create() }.Parse(["ledger", "prove", .. args])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
