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

    [Theory]
    [InlineData("not-a-uuid", "--url", "http://127.0.0.1:1")]
    [InlineData("0193c7a2-0000-7000-8000-000000000001")]
    [InlineData("0193c7a2-0000-7000-8000-000000000001", "--url", "http://127.0.0.1:1", "--unknown")]
    public async Task What_the_parser_refuses_is_exit_code_2_not_a_failed_proof(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldNotBeEmpty();
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliInvocation.InvokeAsync(new RootCommand { LedgerCommand.Create() }, ["ledger", "prove", .. args],
            new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
