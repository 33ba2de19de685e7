using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Signing;
using BalticAI.Sovereignty.Cli.Policy;

namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>`balticai policy bundle`: the activation body of the shipped bundle, whose digest the broker will record.</summary>
[Collection(DeadlineCollection.Name)]
public sealed class BundleCommandTests
{
    private static string PoliciesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BalticAI.Sovereignty.sln")))
            {
                return Path.Combine(dir.FullName, "policies");
            }
        }
        throw new DirectoryNotFoundException("the repository root (BalticAI.Sovereignty.sln) is not above the test binaries");
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { PolicyCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["policy", "bundle", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_printed_body_is_the_shipped_bundle_with_the_digest_the_broker_records()
    {
        var shipped = PolicyBundleLoader.Load(PoliciesDirectory());

        var (exit, output, error) = await RunAsync(PoliciesDirectory());

        exit.ShouldBe(0, error);
        var body = JsonNode.Parse(output)!.AsObject();
        body["revision"]!.GetValue<string>().ShouldBe(shipped.Revision);
        var modules = body["modules"]!.AsArray().Select(m => new BundleModule(m!["path"]!.GetValue<string>(), m["source"]!.GetValue<string>())).ToList();
        modules.Select(m => m.Path).ShouldContain("rules/licence/base_model.rego");
        body["data"]!["licences"]!["CC-BY-NC-4.0"]!["commercialUse"]!.GetValue<bool>().ShouldBeFalse();
        // What POST /policies/bundles computes from this body.
        var activated = new PolicyBundle(body["revision"]!.GetValue<string>(), modules.OrderBy(m => m.Path, StringComparer.Ordinal).ToList(),
            new JsonObject { [PolicyBundleLoader.DataRoot] = body["data"]!.DeepClone() });
        activated.Digest.ShouldBe(shipped.Digest);
        var lines = error.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines.Count.ShouldBe(2, error);
        lines[0].ShouldBe($"{shipped.Revision} {shipped.Digest}");
        lines[1].ShouldMatch(@"^tests: [1-9][0-9]* passed, line coverage 100% \(([0-9]+) of \1 lines\)$");
        // Printed as written: a METADATA description block reads `>-`, not `\u003E-`.
        output.ShouldContain("# description: >-");
        output.ShouldNotContain("\\u003E");
    }

    [Fact]
    public async Task An_archive_is_the_shipped_bundle_as_an_activation_reads_it_and_once_signed_verifies()
    {
        var shipped = PolicyBundleLoader.Load(PoliciesDirectory());
        var directory = Directory.CreateTempSubdirectory("bundle-archive-");
        try
        {
            var archive = Path.Combine(directory.FullName, "bundle.tar.gz");

            var (exit, output, error) = await RunAsync(PoliciesDirectory(), "--archive", archive);

            exit.ShouldBe(0, error);
            output.ShouldBeEmpty();
            error.ShouldStartWith($"{shipped.Revision} {shipped.Digest}");
            // What an activation, or a broker's Policy:InitialBundle, reads from the archive: the shipped bundle's digest.
            var files = OpaBundleArchive.Read(new MemoryStream(await File.ReadAllBytesAsync(archive)), 1 << 26, 1 << 26);
            OpaBundleImport.Map(files).ToBundle().Digest.ShouldBe(shipped.Digest);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var signed = files.Append(new ArchiveFile(BundleSignatureVerifier.SignaturesFile, BundleSigner.Sign(files, key, "board", ""))).ToList();
            var signing = new BundleSigningOptions
            {
                Keys = [new BundleVerificationKey { Id = "board", Algorithm = "ES256", PublicKey = key.ExportSubjectPublicKeyInfoPem() }],
            };
            BundleSignatureVerifier.Verify(signed, signing)!.Files.Count.ShouldBe(files.Count);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_archive_that_cannot_be_written_is_exit_code_2_naming_the_file()
    {
        var archive = Path.Combine(Path.GetTempPath(), $"no-directory-{Guid.NewGuid():N}", "bundle.tar.gz");

        var (exit, _, error) = await RunAsync(PoliciesDirectory(), "--archive", archive);

        exit.ShouldBe(2);
        error.ShouldContain(archive);
        File.Exists(archive).ShouldBeFalse();
    }

    [Fact]
    public async Task Shipped_data_that_strays_from_the_schema_the_bundle_declares_is_exit_code_2_naming_the_key_and_prints_no_body()
    {
        using var bundle = new PolicyDirectory("policy-bundle-");
        foreach (var file in Directory.EnumerateFiles(PoliciesDirectory(), "*", SearchOption.AllDirectories))
        {
            bundle.Write(Path.GetRelativePath(PoliciesDirectory(), file), File.ReadAllText(file));
        }

        var residency = JsonNode.Parse(File.ReadAllText(Path.Combine(PoliciesDirectory(), "data", "residency.json")))!;
        var polish = residency["residency"]!["PL"]!.AsObject();
        polish["domesticfrom"] = polish["domesticFrom"]!.DeepClone();
        polish.Remove("domesticFrom");
        bundle.Write("data/residency.json", residency.ToJsonString());

        var (exit, output, error) = await bundle.RunAsync("bundle");

        exit.ShouldBe(2, error);
        output.ShouldBeEmpty();
        error.ShouldContain("a data document does not match the schema the bundle's METADATA declares for it");
        error.ShouldContain("data.balticai.residency/PL/domesticfrom: is not allowed here (the schema balticai.rego:1 declares for data.balticai.residency)");
    }

    [Theory]
    [InlineData("system.authz")]
    [InlineData("balticai_broker")]
    public async Task A_package_outside_the_root_is_exit_code_2_naming_the_module_its_package_and_the_root_and_prints_no_body(string package)
    {
        using var bundle = new PolicyDirectory("policy-bundle-");
        bundle.Write("probe.rego", "package balticai.probe\n\nallow := true\n");
        bundle.Write("extra/outside.rego", $"package {package}\n\nallow := true\n");

        var (exit, output, error) = await bundle.RunAsync("bundle");

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        var line = error.Split('\n').Single(l => l.Contains("outside.rego", StringComparison.Ordinal));
        line.ShouldContain("extra/outside.rego");
        line.ShouldContain($"package {package} ");
        line.ShouldContain("data.balticai");
        error.ShouldNotContain("probe.rego");
    }

    [Fact]
    public async Task A_bundle_its_tests_cover_less_than_the_minimum_is_exit_code_2_naming_the_lines_and_prints_no_body()
    {
        using var bundle = new PolicyDirectory("policy-bundle-");
        bundle.Write("probe.rego", "package balticai.probe\n\nallow if input.job.commercial\n\nunused if input.dataset.sector.health\n");
        bundle.Write("probe_test.rego", "package balticai.probe_test\n\nimport data.balticai.probe\n\ntest_allow if probe.allow with input as {\"job\": {\"commercial\": true}}\n");

        var (strict, strictOutput, strictError) = await bundle.RunAsync("bundle", "--minimum-coverage", "100");
        var (lenient, lenientOutput, lenientError) = await bundle.RunAsync("bundle", "--minimum-coverage", "50");

        strict.ShouldBe(2);
        strictOutput.ShouldBeEmpty();
        strictError.ShouldContain("the bundle's tests reach 66.67% of its lines, below the 100% this broker requires (Policy:MinimumTestCoverage)");
        strictError.ShouldContain("not reached by any test: probe.rego: 5");
        lenient.ShouldBe(0, lenientError);
        lenientOutput.ShouldNotBeEmpty();
        lenientError.ShouldContain("tests: 1 passed, line coverage 66.67% (2 of 3 lines)");
    }

    [Fact]
    public async Task A_bundle_whose_test_fails_is_exit_code_2_naming_the_test_and_prints_no_body()
    {
        using var bundle = new PolicyDirectory("policy-bundle-");
        bundle.Write("probe.rego", "package balticai.probe\n\nallow := false\n");
        bundle.Write("probe_test.rego", "package balticai.probe_test\n\nimport data.balticai.probe\n\ntest_still_passes if not probe.allow\n\ntest_expects_allow if probe.allow\n");

        var (exit, output, error) = await bundle.RunAsync("bundle");

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("the bundle's tests fail");
        error.Split('\n').ShouldContain(l => l.Contains("probe_test.rego", StringComparison.Ordinal) && l.Contains("test_expects_allow", StringComparison.Ordinal));
        error.ShouldNotContain("test_still_passes");
    }

    [Fact]
    public async Task Tests_that_outlast_the_deadline_are_exit_code_2_naming_the_deadline_and_print_no_body()
    {
        using var bundle = new PolicyDirectory("policy-bundle-");
        TestCommandTests.WriteSlowTests(bundle.Root, "probe_test.rego", "balticai.probe_test");

        var (tight, tightOutput, tightError) = await bundle.RunAsync("bundle", "--deadline", "00:00:00.001");
        var (generous, generousOutput, generousError) = await bundle.RunAsync("bundle");

        tight.ShouldBe(2);
        tightOutput.ShouldBeEmpty();
        tightError.ShouldContain("--deadline");
        tightError.ShouldContain("0.001 s");
        generous.ShouldBe(0, generousError);
        generousOutput.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_missing_directory_is_exit_code_2_with_a_message()
    {
        var (exit, output, error) = await RunAsync(Path.Combine(Path.GetTempPath(), $"no-bundle-{Guid.NewGuid():N}"));

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("does not exist");
    }
}
