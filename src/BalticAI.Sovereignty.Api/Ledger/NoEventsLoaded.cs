namespace BalticAI.Sovereignty.Api.Ledger;

/// <summary>
/// Never appended: a subscription that filters on it is handed its sequence range with no event loaded,
/// for subscriptions that read the stored rows themselves.
/// </summary>
public sealed record NoEventsLoaded;
