using System.CommandLine;

namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// `balticai policy activate`: what it refuses before asking a broker (BrokerCommandTests for what it shares with
/// `policy impact`).
/// </summary>
public sealed class ActivateCommandTests
{
    [Fact]
    public async Task A_path_that_is_neither_directory_nor_file_is_exit_code_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"balticai-missing-{Guid.NewGuid():N}.tar.gz");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await new RootCommand { BalticAI.Sovereignty.Cli.Policy.PolicyCommand.Create() }
            .Parse(["policy", "activate", missing, "--url", "http://127.0.0.1:1"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        exit.ShouldBe(2);
        error.ToString().ShouldBe($"{missing}: no such bundle directory or archive{Environment.NewLine}");
    }

    [Fact]
    public async Task An_if_match_that_is_no_number_is_refused_before_anyone_is_asked()
    {
        using var policies = BrokerCommandTests.Policies("activate");

        var (exit, _, error) = await policies.RunAsync("activate", "--url", "http://127.0.0.1:1", "--if-match", "latest");

        exit.ShouldNotBe(0);
        error.ShouldNotContain("the broker could not be asked");
        error.ShouldContain("latest");
    }
}
