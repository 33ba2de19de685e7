using BalticAI.Sovereignty.RegulatorInbox.Witnessing;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>`Inbox:Witness`: names a cosignature line could not carry stop the inbox at start, not at its first round.</summary>
public sealed class WitnessOptionsTests
{
    [Theory]
    [InlineData("Name", "uodo.gov.pl+witness", "Inbox:Witness:Name 'uodo.gov.pl+witness' is not a witness name")]
    [InlineData("Name", "uodo witness", "Inbox:Witness:Name 'uodo witness' is not a witness name")]
    [InlineData("Origin", "balticai.eu/sovereignty ledger", "Inbox:Witness:Origin 'balticai.eu/sovereignty ledger' is not the ledger's origin")]
    public void A_name_no_signed_note_can_carry_is_refused(string setting, string value, string expected)
    {
        var options = new WitnessOptions { Enabled = true, Name = "uodo.gov.pl/witness", KeyFile = "witness.jwk", Scope = "api://balticai/.default" };
        if (setting == "Name")
        {
            options.Name = value;
        }
        else
        {
            options.Origin = value;
        }

        var refusal = Should.Throw<InvalidOperationException>(options.Validate);

        refusal.Message.ShouldStartWith(expected);
        refusal.Message.ShouldContain("C2SP signed-note");
    }

    [Fact]
    public void A_witness_named_as_signed_notes_allow_is_accepted()
    {
        var options = new WitnessOptions { Enabled = true, Name = "uodo.gov.pl/witness", KeyFile = "witness.jwk", Scope = "api://balticai/.default" };

        Should.NotThrow(options.Validate);
    }
}
