namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// `balticai policy impact` and `policy activate`, the commands that send a bundle directory to a broker: what they answer
/// without a broker to ask. Reports and activations themselves come from a running broker (ImpactAssessmentTests and
/// ActivateCommandTests in the API's tests).
/// </summary>
public sealed class BrokerCommandTests
{
    [Theory]
    [InlineData("impact")]
    [InlineData("activate")]
    public async Task A_broker_that_cannot_be_reached_is_exit_code_3_naming_it(string command)
    {
        using var policies = Policies(command);

        var (exit, output, error) = await policies.RunAsync(command, "--url", "http://127.0.0.1:1");

        exit.ShouldBe(3);
        output.ShouldBeEmpty();
        error.ShouldStartWith("the broker could not be asked: ");
    }

    [Theory]
    [InlineData("impact")]
    [InlineData("activate")]
    public async Task A_directory_that_is_no_bundle_is_exit_code_2_before_anyone_is_asked(string command)
    {
        using var policies = Policies(command);
        policies.Write("data/broken.json", "{");

        var (exit, _, error) = await policies.RunAsync(command, "--url", "http://127.0.0.1:1");

        exit.ShouldBe(2);
        error.ShouldNotContain("the broker could not be asked");
        error.ShouldContain("broken.json");
    }

    internal static PolicyDirectory Policies(string command)
    {
        var policies = new PolicyDirectory(command + "-");
        policies.Write("access/access.rego", "package balticai.access\n\ndecision := {\"allow\": false, \"reasons\": [], \"obligations\": []}\n");
        return policies;
    }
}
