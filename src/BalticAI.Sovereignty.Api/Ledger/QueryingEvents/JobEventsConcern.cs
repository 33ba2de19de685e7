namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>
/// Whether a recorded event of a training job concerns a country, read from the event index: an index row's countries
/// are those the regulator feeds route the event to (<see cref="IndexedFactsSql"/>), and its job is set for the events
/// on a grant's stream too (a redemption takes its grant's job). Recorded reads name no job, so a regulator's refused
/// read of a job never makes the job concern its country.
/// </summary>
public static class JobEventsConcern
{
    /// <summary>
    /// An SQL condition that holds when an indexed event of the job <paramref name="job"/> (a column, or a Marten
    /// <c>?</c> parameter) lists the country, passed as the next <c>?</c> parameter. It reads the (job, seq_id) index of
    /// <see cref="LedgerEventIndexSchema.Table"/> and stops at the first event of the job that lists the country.
    /// </summary>
    public static string Sql(string schema, string job) =>
        $"exists (select 1 from {schema}.{LedgerEventIndexSchema.Table} concerned where concerned.job = {job} and concerned.countries @> array[?]::text[])";
}
