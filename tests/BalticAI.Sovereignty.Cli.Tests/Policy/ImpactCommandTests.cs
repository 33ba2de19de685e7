namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// `balticai policy impact`: what it answers without a broker to ask. The report itself is read from a running broker
/// (ImpactAssessmentTests in the API's tests).
/// </summary>
public sealed class ImpactCommandTests
{
    [Fact]
    public async Task A_broker_that_cannot_be_reached_is_exit_code_3_naming_it()
    {
        using var policies = Policies();

        var (exit, output, error) = await policies.RunAsync("impact", "--url", "http://127.0.0.1:1");

        exit.ShouldBe(3);
        output.ShouldBeEmpty();
        error.ShouldStartWith("the broker could not be asked: ");
    }

    [Fact]
    public async Task A_directory_that_is_no_bundle_is_exit_code_2_before_anyone_is_asked()
    {
        using var policies = Policies();
        policies.Write("data/broken.json", "{");

        var (exit, _, error) = await policies.RunAsync("impact", "--url", "http://127.0.0.1:1");

        exit.ShouldBe(2);
        error.ShouldNotContain("the broker could not be asked");
        error.ShouldContain("broken.json");
    }

    private static PolicyDirectory Policies()
    {
        var policies = new PolicyDirectory("impact-");
        policies.Write("access/access.rego", "package balticai.access\n\ndecision := {\"allow\": false, \"reasons\": [], \"obligations\": []}\n");
        return policies;
    }
}
