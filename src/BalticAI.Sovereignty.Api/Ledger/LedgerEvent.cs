namespace BalticAI.Sovereignty.Api.Ledger;

/// <summary>
/// Every event the broker records says which countries it concerns: where its data originate or are
/// stored, and where it is processed. The acting organisation's country is added from the actor
/// headers, and every event concerns the EU feed. Regulator feeds route on exactly this.
/// </summary>
public interface ILedgerEvent
{
    IReadOnlyCollection<string> Countries { get; }
}

/// <summary>
/// Marks a property as free text written by a caller. Free text never leaves the broker in regulator
/// feeds (authorities receive facts, not prose that might hold personal data).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FreeTextAttribute : Attribute;
