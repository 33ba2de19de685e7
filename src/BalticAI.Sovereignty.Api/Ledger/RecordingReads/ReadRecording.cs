using BalticAI.Sovereignty.Api.Infrastructure.Identity;

namespace BalticAI.Sovereignty.Api.Ledger.RecordingReads;

public static class ReadRecording
{
    /// <summary>
    /// Records every read of an auditor or regulator on these routes as a <see cref="LedgerReadRecorded"/>
    /// event before the answer leaves: fail closed, so if the record cannot be committed the reader gets
    /// 503 and no data. Add after the route's authorisation; other slices call it on their own GET routes.
    /// </summary>
    public static TBuilder RecordsReads<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            var caller = http.RequestServices.GetRequiredService<CallerResolver>().Resolve(http.User);
            if (caller is not null && ReadRecorder.IsRecorded(caller))
            {
                await http.RequestServices.GetRequiredService<ReadRecorder>().RecordAsync(caller, http, StatusOf(result));
            }
            return result;
        });

    private static int StatusOf(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        return result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
    }
}
