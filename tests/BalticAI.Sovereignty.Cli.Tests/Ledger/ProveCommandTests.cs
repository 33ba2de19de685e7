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
    [InlineData("--bundle", "/nonexistent/proof.json", "proof.json")]
    public async Task Bad_usage_is_exit_code_2_naming_it(string option, string value, string expected)
    {
        var (exit, _, error) = await RunAsync(Guid.NewGuid().ToString(), "--url", "http://127.0.0.1:1", option, value);

        exit.ShouldBe(2);
        error.ShouldContain(expected);
    }

    [Theory]
    [InlineData("{\"format\":\"balticai-event-proof/v1\"}", "--url", "the event proof lacks")]
    [InlineData("not json", "", "not an event proof")]
    [InlineData(Proof, "--url", "give neither --url nor --output")]
    [InlineData(Proof, "--output", "give neither --url nor --output")]
    [InlineData(Proof, "event", "the kept proof is of event 0193c7a2-0000-7000-8000-000000000001, not")]
    public async Task A_kept_proof_is_checked_alone_and_read_strictly(string content, string also, string expected)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, content);
        try
        {
            string[] extra = also switch
            {
                "--url" => ["--url", "http://127.0.0.1:1"],
                "--output" => ["--output", file + ".out"],
                "event" => [Guid.NewGuid().ToString()],
                _ => [],
            };

            var (exit, output, error) = await RunAsync(["--bundle", file, .. extra]);

            exit.ShouldBe(2);
            output.ShouldBeEmpty();
            error.ShouldContain(expected);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Neither_an_event_with_a_broker_nor_a_kept_proof_is_exit_code_2()
    {
        var (exit, _, error) = await RunAsync(Guid.NewGuid().ToString());

        exit.ShouldBe(2);
        error.ShouldContain("give an event and --url, or --bundle FILE");
    }

    /// <summary>A proof file that parses (its checks would fail): what matters here is what is refused before them.</summary>
    private const string Proof = """
        {"format":"balticai-event-proof/v1","eventId":"0193c7a2-0000-7000-8000-000000000001",
         "entry":{"index":0,"leaf":null,"leafHash":"AA=="},"checkpoint":"x","inclusion":[],"keys":[],"data":null}
        """;

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
