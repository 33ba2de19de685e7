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
    /// <c>?</c> parameter) lists the country, passed as the next <c>?</c> parameter. It probes the (job, seq_id) index of
    /// <see cref="LedgerEventIndexSchema.Table"/> and stops at the first event of the job that lists the country.
    /// </summary>
    /// <remarks>
    /// <c>offset 0</c> keeps PostgreSQL from turning the condition, in a list's filter, into a hashed subplan: that reads
    /// every indexed event of the country (a regulator's own recorded reads among them) before the first job; a probe
    /// per job the list's other conditions did not already admit stops when the page is full. On 300k indexed events
    /// the first page of a list took 1.1 s hashed and 50 ms probed.
    /// </remarks>
    public static string Sql(string schema, string job) =>
        $"exists (select 1 from {schema}.{LedgerEventIndexSchema.Table} concerned where concerned.job = {job} and concerned.countries @> array[?]::text[] offset 0)";
}
