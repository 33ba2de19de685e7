namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>
/// Reads the filterable facts of any stored event by convention, in SQL over its JSON body: a
/// <c>DatasetId</c>, <c>JobId</c> or <c>ModelId</c> member, or a job's model reference (<c>Model.Name</c>).
/// Events of slices written later (lineage, model versions) are covered without a change here as long as
/// they name their subjects the same way; <c>IndexedFactsTests</c> holds every registered event
/// type to it. Countries are the event's own (<see cref="ILedgerEvent.Countries"/>) plus the acting
/// organisation's from the actor headers, exactly as the regulator feeds route. An event that names no
/// subject of its own (a grant's redemption) takes the subjects of the first earlier event of its stream
/// that names one (the grant's issue), so filtering by dataset or job finds it too.
/// </summary>
public static class IndexedFactsSql
{
    private const string GuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    /// <summary>The path of a JSON value itself: <c>#&gt;&gt;</c> with it gives a string's text without its quotes.</summary>
    private const string WholeValue = "'{}'";

    /// <summary>A uuid member, or null when absent, null or not a uuid (an event from another build cannot fail the page).</summary>
    private static string Uuid(string member) =>
        $"case when jsonb_typeof(f.\"{member}\") = 'string' and f.\"{member}\" #>> {WholeValue} ~ '{GuidPattern}' then (f.\"{member}\" #>> {WholeValue})::uuid end";

    /// <summary>
    /// Parameters: the page's floor (exclusive) and ceiling (inclusive) in Marten sequence numbers, and the
    /// event type names to index. The body is taken apart once per row (jsonb_to_record): every operator
    /// applied to the stored column would decompress the whole body again.
    /// </summary>
    public static string InsertIndexRows(string index, string events) =>
        $"""
        with page as materialized (
            select e.seq_id, e.id, e.stream_id, e.type, e.timestamp, upper(e.headers ->> '{ActorHeaders.Country}') as actor_country,
                   f."Countries" as countries,
                   {Uuid("DatasetId")} as dataset,
                   {Uuid("JobId")} as job,
                   coalesce(
                       case when jsonb_typeof(f."ModelId") in ('string', 'number') then f."ModelId" #>> {WholeValue} end,
                       case when jsonb_typeof(f."Model" -> 'Name') = 'string' then f."Model" ->> 'Name' end) as model
            from {events} e
            cross join lateral jsonb_to_record(case when jsonb_typeof(e.data) = 'object' then e.data else jsonb_build_object() end)
                as f("Countries" jsonb, "DatasetId" jsonb, "JobId" jsonb, "ModelId" jsonb, "Model" jsonb)
            where e.seq_id > ? and e.seq_id <= ? and e.type = any(?)
        )
        insert into {index} (seq_id, event_id, stream, type, time, countries, dataset, job, model)
        select p.seq_id, p.id, p.stream_id, p.type, p.timestamp,
               array(
                   select c from (
                       select upper(o.country) as c
                       from jsonb_array_elements_text(case when jsonb_typeof(p.countries) = 'array' then p.countries else '[]'::jsonb end) as o(country)
                       union
                       select p.actor_country where length(p.actor_country) = 2 and p.actor_country <> '{Infrastructure.Identity.TenantMap.EuCountry}'
                   ) as concerned
                   order by c collate "C"),
               coalesce(p.dataset, s.dataset), coalesce(p.job, s.job), coalesce(p.model, s.model)
        from page p
        left join lateral (
            select x.dataset, x.job, x.model
            from (
                select i.seq_id, i.dataset, i.job, i.model from {index} i
                where p.dataset is null and p.job is null and p.model is null
                  and i.stream = p.stream_id and (i.dataset is not null or i.job is not null or i.model is not null)
                union all
                select q.seq_id, q.dataset, q.job, q.model from page q
                where p.dataset is null and p.job is null and p.model is null
                  and q.stream_id = p.stream_id and q.seq_id < p.seq_id and (q.dataset is not null or q.job is not null or q.model is not null)
            ) as x
            order by x.seq_id
            limit 1) as s on true
        order by p.seq_id
        on conflict (seq_id) do nothing
        """;

    /// <summary>The page's (country, event) rows, from the index rows the statement before inserted.</summary>
    public static string InsertCountryRows(string countries, string index) =>
        $"""
        insert into {countries} (country, seq_id, type)
        select c.country, i.seq_id, i.type
        from {index} i cross join lateral unnest(i.countries) as c(country)
        where i.seq_id > ? and i.seq_id <= ?
        on conflict do nothing
        """;
}
