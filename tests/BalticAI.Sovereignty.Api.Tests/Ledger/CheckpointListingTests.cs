using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Verification;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>`GET /ledger/checkpoints` answers in pages: a busy ledger signs a checkpoint every few seconds, and the route is anonymous.</summary>
[Collection(LedgerCollection.Name)]
public sealed class CheckpointListingTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task Pages_followed_by_their_next_links_list_every_checkpoint_once_oldest_first()
    {
        await SignCheckpointsAsync(5);
        var client = broker.CreateClient();
        var all = (await client.GetFromJsonAsync<JsonArray>("/ledger/checkpoints?count=1000"))!.Select(Size).ToList();
        all.Count.ShouldBeGreaterThanOrEqualTo(5);

        var paged = new List<long>();
        var link = "/ledger/checkpoints?count=2";
        var pages = 0;
        while (link is not null)
        {
            using var response = await client.GetAsync(link);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = (await response.Content.ReadFromJsonAsync<JsonArray>())!.Select(Size).ToList();
            page.Count.ShouldBeLessThanOrEqualTo(2);
            paged.AddRange(page);
            link = Next(response);
            (link is null).ShouldBe(page.Count < 2, $"a full page links to the next one, a short one to none: {link}");
            pages++;
        }

        paged.ShouldBe(all);
        paged.ShouldBeInOrder(SortDirection.Ascending);
        pages.ShouldBeGreaterThanOrEqualTo(3);
        var from = all[2];
        (await client.GetFromJsonAsync<JsonArray>($"/ledger/checkpoints?from={from}&count=1000"))!.Select(Size).ShouldBe(all.Skip(2));
        (await client.GetFromJsonAsync<JsonArray>("/ledger/checkpoints"))!.Count.ShouldBe(Math.Min(all.Count, 100));
    }

    [Fact]
    public async Task An_export_in_small_checkpoint_pages_holds_every_checkpoint_and_verifies()
    {
        await SignCheckpointsAsync(3);
        var listed = (await broker.CreateClient().GetFromJsonAsync<JsonArray>("/ledger/checkpoints?count=1000"))!.Count;

        using var file = new MemoryStream();
        await LedgerExporter.ExportAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor), file, null, CancellationToken.None, checkpointPageSize: 2);
        var verifier = new LedgerVerifier();
        LedgerExportReader.Read(new MemoryStream(file.ToArray()), verifier);
        var report = verifier.Finish();

        report.Problems.ShouldBeEmpty();
        report.Checkpoints.ShouldBeGreaterThanOrEqualTo(listed);
    }

    [Theory]
    [InlineData("from=-1")]
    [InlineData("count=0")]
    [InlineData("count=1001")]
    [InlineData("count=many")]
    public async Task A_page_out_of_bounds_is_a_400_problem(string query)
    {
        using var response = await broker.CreateClient().GetAsync($"/ledger/checkpoints?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    /// <summary>Appends one event at a time and waits for a checkpoint to cover it, so each gets a checkpoint of its own.</summary>
    private async Task SignCheckpointsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await broker.WaitForCheckpointAsync((await broker.AppendAsync(1, $"listing-{i}"))[0]);
        }
    }

    private static long Size(JsonNode? checkpoint) => checkpoint!["size"]!.GetValue<long>();

    /// <summary>The target of the response's RFC 8288 `rel="next"` link, or null.</summary>
    private static string? Next(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var links)
            ? links.Select(l => l.Split(';')).Where(l => l.Length > 1 && l[1].Trim() == "rel=\"next\"").Select(l => l[0].Trim().TrimStart('<').TrimEnd('>')).SingleOrDefault()
            : null;
}
