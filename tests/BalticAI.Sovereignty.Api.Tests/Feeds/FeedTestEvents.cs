using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>Test-only ledger events: the feeds must work for any <see cref="ILedgerEvent"/>.</summary>
public sealed record ProbeDecisionMade(Guid JobId, string Outcome, IReadOnlyCollection<string> Countries, [property: FreeText] string Reason)
    : ILedgerEvent;

public sealed record ProbeNote(string Title, NoteBody Body, IReadOnlyCollection<string> Countries) : ILedgerEvent;

public sealed record NoteBody(int Pages, [property: FreeText] string Text);

/// <summary>Not a ledger event: it never reaches a feed.</summary>
public sealed record ProbeInternalTick(int Tick);

/// <summary>An event type only <see cref="UpgradedFeedNode"/> knows: what a newer release adds during a rolling upgrade.</summary>
public sealed record ProbeFutureDecision(Guid JobId, IReadOnlyCollection<string> Countries) : ILedgerEvent;

/// <summary>A vocabulary with its own converter beside an enum without one.</summary>
public sealed record ProbeStatus(BalticAI.Sovereignty.Api.Datasets.Residency Residency, ProbeStage Stage);

public enum ProbeStage { FirstLook, SecondLook }
