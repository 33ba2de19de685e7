using System.Data.Common;
using Weasel.Core;
using Weasel.Storage;

namespace BalticAI.Sovereignty.Api.Infrastructure.Concurrency;

/// <summary>
/// Queued into a session's commit: fails it, as Marten fails a stale append, when any of these streams is
/// no longer at the version the decision read, although nothing is appended to them. The rows are read
/// FOR SHARE, which an append to the stream (its version update) waits for and which waits for one
/// under way: until this commit ends, none of these streams can change, and a change committed first is
/// seen here. A plain read would miss an append that commits between it and our commit.
/// </summary>
public sealed class StreamsUnchanged(string schema, IReadOnlyDictionary<Guid, long> versionsRead) : Weasel.Storage.IStorageOperation
{
    // Marten's own checks of stream versions name the event store, which needs no document storage.
    public Type DocumentType => typeof(JasperFx.Events.IEvent);

    public OperationRole Role() => OperationRole.Events;

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        // Ordered, so two commits sharing rows take their locks in the same order.
        builder.Append($"select id, version from {schema}.mt_streams where id = any(");
        builder.AppendParameter(versionsRead.Keys.ToArray());
        builder.Append(") order by id for share");
    }

    public async Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token)
    {
        var found = new Dictionary<Guid, long>();
        while (await reader.ReadAsync(token))
        {
            found[await reader.GetFieldValueAsync<Guid>(0, token)] = await reader.GetFieldValueAsync<long>(1, token);
        }
        foreach (var (id, read) in versionsRead)
        {
            var current = found.GetValueOrDefault(id);
            if (current != read)
            {
                exceptions.Add(new JasperFx.ConcurrencyException($"Stream {id} is at version {current}, not {read} as read before this commit.", typeof(StreamsUnchanged), id));
                return;
            }
        }
    }
}
