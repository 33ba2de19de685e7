using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Cli.Ledger;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Verification;

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
    [InlineData("--grant", "a.b.c", "give an event or --grant, not both")]
    [InlineData("--wait", "-1", "--wait is 0 to 3600 seconds")]
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
        error.ShouldContain("give an event (or --grant) and --url, or --bundle FILE");
    }

    [Theory]
    [InlineData("the kept proof", "", 0, "event {event}: entry 0 (dataset_registered")]
    [InlineData("its decision's grant", "grant", 0, "keys kept in the proof")]
    [InlineData("another decision's grant", "other-grant", 1, "not of the grant's decision")]
    [InlineData("a grant the log did not sign", "foreign-grant", 1, "the grant is not a token signed by the log's keys")]
    [InlineData("another log's keys, pinned", "foreign-jwks", 1, "the checkpoint is not signed by the log's keys")]
    public async Task A_kept_proof_is_checked_without_a_broker_and_a_grant_against_its_decision(string what, string with, int expectedExit, string expected)
    {
        var directory = Directory.CreateTempSubdirectory("prove-");
        try
        {
            using var ring = new LocalKeyRing(Path.Combine(directory.FullName, "keys"), TimeProvider.System);
            using var foreign = new LocalKeyRing(Path.Combine(directory.FullName, "foreign"), TimeProvider.System);
            var eventId = Guid.NewGuid();
            var proof = Path.Combine(directory.FullName, "proof.json");
            await File.WriteAllTextAsync(proof, (await KeptProofAsync(ring, eventId)).Write());
            string[] extra = with switch
            {
                "grant" => ["--grant", await GrantAsync(ring, eventId)],
                "other-grant" => ["--grant", await GrantAsync(ring, Guid.NewGuid())],
                "foreign-grant" => ["--grant", await GrantAsync(foreign, eventId)],
                "foreign-jwks" => ["--jwks", await JwksFileAsync(foreign, directory.FullName)],
                _ => [],
            };

            var (exit, output, error) = await RunAsync(["--bundle", proof, .. extra]);

            exit.ShouldBe(expectedExit, $"{what}: {error}");
            (output + error).ShouldContain(expected.Replace("{event}", eventId.ToString()));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Entry 0 of a two-entry log, proven in its signed checkpoint of size 2, as `prove --output` keeps it.</summary>
    private static async Task<EventProofBundle> KeptProofAsync(LocalKeyRing ring, Guid eventId)
    {
        var leaves = new[] { eventId, Guid.NewGuid() }.Select((id, i) => new LedgerLeaf(i, i + 1, id, Guid.NewGuid().ToString(), "dataset_registered",
            DateTimeOffset.UnixEpoch, LedgerLeaf.DigestData("{}"), LedgerLeaf.DigestHeaders("{}")).Encode()).ToList();
        var tree = new MerkleAccumulator();
        leaves.ForEach(leaf => tree.AppendLeaf(leaf));
        var note = await CheckpointSigning.SignAsync(new Checkpoint("balticai.eu/sovereignty-ledger", 2, tree.Root()), ring, CancellationToken.None);
        var keys = await ring.GetVerificationKeysAsync(CancellationToken.None);
        return new EventProofBundle(EventProofBundle.CurrentFormat, eventId,
            new EventProofEntry(0, Convert.ToBase64String(leaves[0]), Convert.ToBase64String(MerkleHash.Leaf(leaves[0]))),
            note.ToString(), [Convert.ToBase64String(MerkleHash.Leaf(leaves[1]))], [.. keys], null);
    }

    private static Task<string> GrantAsync(LocalKeyRing ring, Guid decision) =>
        Jws.SignCompactAsync(ring, Encoding.UTF8.GetBytes($$"""{"decision":"{{decision}}"}"""), "grant+jwt", CancellationToken.None);

    private static async Task<string> JwksFileAsync(LocalKeyRing ring, string directory)
    {
        var path = Path.Combine(directory, "jwks.json");
        var keys = new JsonArray([.. (await ring.GetVerificationKeysAsync(CancellationToken.None)).Select(k => (JsonNode)k.DeepClone())]);
        await File.WriteAllTextAsync(path, new JsonObject { ["keys"] = keys }.ToJsonString());
        return path;
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
