extern alias cli;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Policies.ConditionalActivationTests;
using ActivateCommand = cli::BalticAI.Sovereignty.Cli.Policy.ActivateCommand;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>`balticai policy activate`: a bundle directory or archive activated on a running broker, conditionally with --if-match.</summary>
public sealed class ActivateCommandTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("balticai-activate-");

    private HttpClient Admin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Fact]
    public async Task A_directory_is_activated_and_the_command_says_which_activation_it_is_and_what_is_decided_again()
    {
        await GrantOnNewSiteAsync(broker, "PL", researchOnly: false);
        var bundle = Distinct($"cli-activate-{Guid.NewGuid():N}");
        var before = Version((await ActiveAsync(broker)).ETag);

        var (exit, output, error) = await RunAsync(Write(bundle), before);

        exit.ShouldBe(0, error);
        var active = await DatasetApi.ReadJsonAsync(await Admin.GetAsync("/policies/active"));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var coverage = active["tests"]!["coverage"]!.GetValue<double>().ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        lines[0].ShouldBe($"activated {bundle["revision"]} {active["digest"]} (tests: 1 passed, line coverage {coverage}%)");
        lines[1].ShouldBe($"activation {before + 1}");
        lines[2].ShouldBe("active grants decided under another bundle, now decided again: 1 (those it no longer gives as granted are revoked, their training systems told)");
        active["revision"]!.GetValue<string>().ShouldBe(bundle["revision"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_activation_replaced_since_the_one_named_is_exit_code_4_and_activates_nothing()
    {
        var read = Version((await ActiveAsync(broker)).ETag);
        var other = await ActivateAsync(broker, Distinct($"cli-other-{Guid.NewGuid():N}"));

        var (exit, output, error) = await RunAsync(Write(Distinct($"cli-late-{Guid.NewGuid():N}")), read);

        exit.ShouldBe(ActivateCommand.Superseded);
        output.ShouldBeEmpty();
        error.ShouldStartWith("412 Precondition failed");
        error.ShouldContain($"current ETag is \"{read + 1}\"");
        (await DatasetApi.ReadJsonAsync(await Admin.GetAsync("/policies/active")))["digest"]!.GetValue<string>().ShouldBe(other);
    }

    [Fact]
    public async Task A_bundle_whose_tests_fail_is_exit_code_2_with_the_brokers_reasons()
    {
        var failing = Bundle($"cli-failing-{Guid.NewGuid():N}", tests: TestPolicyTests.Replace("access.allow with", "not access.allow with", StringComparison.Ordinal));

        var (exit, _, error) = await RunAsync(Write(failing), null);

        exit.ShouldBe(2);
        error.ShouldStartWith("422 The bundle is not acceptable");
        error.ShouldContain("  modules: ");
    }

    [Fact]
    public async Task An_archive_is_sent_as_one_and_activated()
    {
        var bundle = Distinct($"cli-archive-{Guid.NewGuid():N}");
        var archive = Path.Combine(_directory.FullName, "bundle.tar.gz");
        await File.WriteAllBytesAsync(archive, BundleArchives.Of(BundleArchives.FilesOf(bundle)));

        var (exit, output, error) = await RunAsync(archive, null);

        exit.ShouldBe(0, error);
        output.ShouldStartWith($"activated {bundle["revision"]} ");
        (await DatasetApi.ReadJsonAsync(await Admin.GetAsync("/policies/active")))["revision"]!.GetValue<string>().ShouldBe(bundle["revision"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_impact_of_a_candidate_names_the_activation_to_activate_it_under()
    {
        await ActivateAsync(broker, Distinct($"cli-impact-base-{Guid.NewGuid():N}"));
        var active = Version((await ActiveAsync(broker)).ETag);
        var candidate = Distinct($"cli-impact-{Guid.NewGuid():N}");
        var bundle = BundleOf(candidate);
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await cli::BalticAI.Sovereignty.Cli.Policy.ImpactCommand.RunAsync(Admin, bundle, "limit=1", json: false, output, error, CancellationToken.None);

        exit.ShouldBeOneOf(0, 1);
        output.ToString().Split('\n')[1].ShouldEndWith($"(activation {active})");
        (await RunAsync(Write(candidate), active)).Exit.ShouldBe(0);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    /// <summary>The body as a broker bundle directory: .manifest, the modules, the data under data.balticai.</summary>
    private string Write(JsonObject body)
    {
        var root = _directory.CreateSubdirectory(body["revision"]!.GetValue<string>()).FullName;
        File.WriteAllText(Path.Combine(root, ".manifest"), new JsonObject { ["revision"] = body["revision"]!.GetValue<string>() }.ToJsonString());
        foreach (var module in body["modules"]!.AsArray())
        {
            var path = Path.Combine(root, module!["path"]!.GetValue<string>());
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, module["source"]!.GetValue<string>());
        }
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.WriteAllText(Path.Combine(root, "data", "test.json"), body["data"]!.ToJsonString());
        return root;
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(string path, long? ifMatch)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var body = ActivateCommand.Body(path, error).ShouldNotBeNull(error.ToString());
        var exit = await ActivateCommand.RunAsync(Admin, body, ifMatch, json: false, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}
