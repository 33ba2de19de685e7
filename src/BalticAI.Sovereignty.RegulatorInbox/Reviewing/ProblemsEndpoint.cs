namespace BalticAI.Sovereignty.RegulatorInbox.Reviewing;

/// <summary>
/// `GET /inbox/problems?state=open|acknowledged|all&amp;limit=&amp;cursor=`: every integrity problem with its acknowledgements,
/// newest first, as `{items, next}`. Read-only, as the rest of the inbox's API: acknowledging is done with the inbox's
/// `problems acknowledge` command, by whoever holds its database (<see cref="ProblemsCommand"/>).
/// </summary>
public static class ProblemsEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapProblems(this IEndpointRouteBuilder app)
    {
        app.MapGet("/inbox/problems", async (IntegrityProblems problems, CancellationToken ct, string? state = null, int? limit = null, string? cursor = null) =>
        {
            var errors = new Dictionary<string, string[]>();
            var parsedState = ProblemState.Open;
            if (state is not null && !(Enum.TryParse(state, ignoreCase: true, out parsedState) && Enum.IsDefined(parsedState) && state.All(char.IsLetter)))
            {
                errors["state"] = ["state must be open, acknowledged or all"];
            }
            if (limit is < 1 or > MaxLimit)
            {
                errors["limit"] = [$"limit must be between 1 and {MaxLimit}"];
            }
            ProblemCursor? after = null;
            if (cursor is not null && !ProblemCursor.TryParse(cursor, out after))
            {
                errors["cursor"] = ["cursor must be the `next` of a previous page"];
            }
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors, title: "The problem listing's query is not valid");
            }
            var page = await problems.ListAsync(parsedState, after, limit ?? DefaultLimit, ct);
            return Results.Ok(new { items = page.Items, next = page.Next?.ToString() });
        });
        return app;
    }
}
