using System.CommandLine;
using BalticAI.Sovereignty.Cli.Keys;
using BalticAI.Sovereignty.Security.KeyVault;
using BalticAI.Sovereignty.Testing.KeyVault;

namespace BalticAI.Sovereignty.Cli.Tests.Keys;

/// <summary>`balticai keys` against an in-process Key Vault over HTTPS, as an operator with the Crypto Officer role.</summary>
public sealed class KeysCommandTests : IAsyncLifetime
{
    private const string KeyName = "broker-signing";
    private FakeKeyVault _vault = null!;
    private string _first = null!;

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVault.StartAsync();
        _first = _vault.CreateKey(KeyName);
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private KeyVaultKeysClient Client() =>
        new(_vault.VaultUri, new FakeTokenCredential(), new KeyVaultPipelineOptions { Transport = _vault.CreateTransport() }, verifyChallengeResource: false);

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { KeysCommand.Create(_ => Client()) };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["keys", .. args, "--vault", _vault.VaultUri.ToString()]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<List<KeyVaultKeyVersion>> VersionsAsync()
    {
        var versions = new List<KeyVaultKeyVersion>();
        await foreach (var version in Client().ListVersionsAsync(KeyName, CancellationToken.None))
        {
            versions.Add(version);
        }
        return versions;
    }

    [Fact]
    public async Task Rotate_creates_a_new_version_and_prints_its_kid()
    {
        var (exit, output, _) = await RunAsync("rotate");

        exit.ShouldBe(0);
        var versions = await VersionsAsync();
        versions.Count.ShouldBe(2);
        var created = versions.Single(v => v.Version != _first);
        output.ShouldStartWith($"{KeyName}/{created.Version}");
        created.Enabled.ShouldBeTrue();
    }

    [Fact]
    public async Task Revoke_disables_the_version_named_by_its_kid_and_leaves_the_others()
    {
        await RunAsync("rotate");

        var (exit, output, error) = await RunAsync("revoke", $"{KeyName}/{_first}");

        exit.ShouldBe(0, error);
        output.ShouldContain($"revoked {KeyName}/{_first} at ");
        var versions = await VersionsAsync();
        versions.Single(v => v.Version == _first).Enabled.ShouldBeFalse();
        versions.Single(v => v.Version != _first).Enabled.ShouldBeTrue();
        _vault.Requests.ShouldContain(r => r.Method == "PATCH" && r.PathAndQuery.StartsWith($"/keys/{KeyName}/{_first}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoking_the_only_usable_version_is_refused_until_forced()
    {
        var (refusedExit, _, refusal) = await RunAsync("revoke", _first);

        refusedExit.ShouldBe(2);
        refusal.ShouldContain("balticai keys rotate");
        (await VersionsAsync()).Single().Enabled.ShouldBeTrue();

        var (forcedExit, _, _) = await RunAsync("revoke", _first, "--force");
        forcedExit.ShouldBe(0);
        (await VersionsAsync()).Single().Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task List_shows_each_version_as_enabled_or_revoked()
    {
        await RunAsync("rotate");
        await RunAsync("revoke", _first);

        var (exit, output, _) = await RunAsync("list");

        exit.ShouldBe(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        lines.Single(l => l.StartsWith($"{KeyName}/{_first}\t", StringComparison.Ordinal)).ShouldContain("\trevoked\t");
        lines.Single(l => !l.StartsWith($"{KeyName}/{_first}\t", StringComparison.Ordinal)).ShouldContain("\tenabled\t");
    }

    [Fact]
    public async Task An_unknown_version_a_foreign_kid_and_a_missing_permission_fail_with_a_message()
    {
        var (unknownExit, _, unknown) = await RunAsync("revoke", $"{KeyName}/0123456789abcdef0123456789abcdef");
        var (foreignExit, _, foreign) = await RunAsync("revoke", "other-key/0123");
        _vault.Permissions.Remove("rotate");
        var (forbiddenExit, _, forbidden) = await RunAsync("rotate");

        unknownExit.ShouldBe(1);
        unknown.ShouldContain("has no version");
        foreignExit.ShouldBe(1);
        foreign.ShouldContain("is not a version of key broker-signing");
        forbiddenExit.ShouldBe(1);
        forbidden.ShouldContain("Crypto Officer");
    }
}
