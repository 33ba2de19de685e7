using BalticAI.Sovereignty.RegulatorInbox.Witnessing;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>`witness-key`: the step that creates a witness's key and hands the broker its public key before the broker starts.</summary>
public sealed class WitnessKeyCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("witness-key-");

    private string KeyFile => Path.Combine(_directory.FullName, "witness-key.json");

    private string PublicKeyFile => Path.Combine(_directory.FullName, "pl-uodo.pub");

    [Fact]
    public async Task The_key_is_created_once_and_its_public_key_printed_and_written_for_the_broker()
    {
        var (exit, output, error) = await RunAsync($"--Inbox:Witness:KeyFile={KeyFile}", "--public-key-file", PublicKeyFile);

        exit.ShouldBe(0, error);
        using var key = EcPrivateKeyFile.Read(KeyFile).ToEcdsa();
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        output.Trim().ShouldBe(publicKey);
        (await File.ReadAllTextAsync(PublicKeyFile)).ShouldBe(publicKey + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(KeyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Delete(PublicKeyFile);
        var again = await RunAsync($"--Inbox:Witness:KeyFile={KeyFile}", "--public-key-file", PublicKeyFile);

        again.Exit.ShouldBe(0, again.Error);
        again.Output.Trim().ShouldBe(publicKey);
        (await File.ReadAllTextAsync(PublicKeyFile)).ShouldBe(publicKey + "\n");
    }

    [Fact]
    public async Task Without_a_key_file_setting_it_is_exit_code_2_and_nothing_is_written()
    {
        var (exit, output, error) = await RunAsync("--public-key-file", PublicKeyFile);

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("Inbox:Witness:KeyFile must be set");
        File.Exists(PublicKeyFile).ShouldBeFalse();
    }

    [Fact]
    public async Task A_key_file_that_holds_no_key_is_exit_code_2_and_is_left_as_it_is()
    {
        await File.WriteAllTextAsync(KeyFile, "not a key");

        var (exit, output, error) = await RunAsync($"--Inbox:Witness:KeyFile={KeyFile}", "--public-key-file", PublicKeyFile);

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain(KeyFile);
        (await File.ReadAllTextAsync(KeyFile)).ShouldBe("not a key");
        File.Exists(PublicKeyFile).ShouldBeFalse();
    }

    [Fact]
    public async Task A_public_key_file_that_cannot_be_written_is_exit_code_2_naming_it()
    {
        var unwritable = Path.Combine(_directory.FullName, "missing-directory", "pl-uodo.pub");

        var (exit, output, error) = await RunAsync($"--Inbox:Witness:KeyFile={KeyFile}", "--public-key-file", unwritable);

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain(unwritable);
    }

    [Fact]
    public async Task An_unknown_option_is_exit_code_2()
    {
        var (exit, _, error) = await RunAsync($"--Inbox:Witness:KeyFile={KeyFile}", "--public-key", PublicKeyFile);

        exit.ShouldBe(2);
        error.ShouldNotBeEmpty();
        File.Exists(KeyFile).ShouldBeFalse();
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await WitnessKeyCommand.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
