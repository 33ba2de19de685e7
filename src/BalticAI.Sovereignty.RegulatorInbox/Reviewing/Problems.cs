using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BalticAI.Sovereignty.RegulatorInbox.Reviewing;

/// <summary>Where a problem was recorded: a verification failure, a refused checkpoint, an inclusion problem or a log audit problem.</summary>
public enum ProblemKind
{
    Verification,
    Refusal,
    Inclusion,
    Log,
}

public enum ProblemState
{
    Open,
    Acknowledged,
    All,
}

/// <summary>A problem's name, `{kind}:{n}` (e.g. `verification:3`): its kind and its number in that kind's table.</summary>
public sealed record ProblemId(ProblemKind Kind, long N)
{
    public override string ToString() => $"{IntegrityProblems.Name(Kind)}:{N}";

    public static bool TryParse(string text, out ProblemId id)
    {
        id = null!;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !Enum.TryParse<ProblemKind>(text[..colon], ignoreCase: true, out var kind)
            || !Enum.IsDefined(kind)
            || text[..colon] != IntegrityProblems.Name(kind)
            || !long.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n <= 0)
        {
            return false;
        }
        id = new ProblemId(kind, n);
        return true;
    }
}

public sealed record ProblemCount(long Open, long Acknowledged, string? LatestOpen);

/// <summary>An acknowledgement: when, the name and reason the operator gave, the database role that recorded it and the account that ran the command.</summary>
public sealed record AcknowledgementView(DateTimeOffset At, string By, string Reason, string DatabaseUser, string Account);

/// <summary>
/// One problem as `GET /inbox/problems` shows it: its reason, a summary naming what it concerns (as `/health/integrity`
/// names the latest), the details of its kind, and `open`, false once acknowledged since it was last seen.
/// </summary>
public sealed record ProblemView(
    [property: JsonIgnore] ProblemId Id, DateTimeOffset At, string Reason, string Summary, JsonObject Detail, bool Open, IReadOnlyList<AcknowledgementView> Acknowledgements)
{
    [JsonPropertyName("id")]
    [JsonPropertyOrder(-2)]
    public string Name => Id.ToString();

    [JsonPropertyOrder(-1)]
    public string Kind => IntegrityProblems.Name(Id.Kind);
}

/// <summary>Where a page ended: the last problem's time and name, which the next page starts after.</summary>
public sealed record ProblemCursor(DateTimeOffset At, ProblemId Id)
{
    public override string ToString() => $"{At.UtcTicks}.{Id}";

    public static bool TryParse(string text, out ProblemCursor cursor)
    {
        cursor = null!;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !ProblemId.TryParse(text[(dot + 1)..], out var id))
        {
            return false;
        }
        cursor = new ProblemCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}

public sealed record ProblemPage(IReadOnlyList<ProblemView> Items, ProblemCursor? Next);

/// <summary>What an acknowledgement did: the problems it acknowledged, those named but not open, and names the inbox does not hold (then nothing was recorded).</summary>
public sealed record AcknowledgementOutcome(IReadOnlyList<ProblemId> Acknowledged, IReadOnlyList<ProblemId> NotOpen, IReadOnlyList<ProblemId> Unknown);
