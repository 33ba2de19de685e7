using System.Net;
using System.Text;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>A 415 tells the client what to send instead: in its detail, and in Accept-Post or Accept-Patch.</summary>
public sealed class UnsupportedMediaTypeTests(AuthorizationMatrix broker) : IClassFixture<AuthorizationMatrix>
{
    [Fact]
    public async Task Every_route_taking_a_body_names_the_media_types_it_accepts()
    {
        var routes = broker.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 })
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(method =>
                (Method: method, e.RoutePattern, Accepted: e.Metadata.GetMetadata<IAcceptsMetadata>()!.ContentTypes)))
            .ToList();
        var client = Caller();
        var failures = new List<string>();

        foreach (var (method, pattern, accepted) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), AuthorizationMatrix.PathFor(pattern, Guid.NewGuid()))
            {
                Content = new StringContent("<body/>", Encoding.UTF8, "application/xml"),
            };
            using var response = await client.SendAsync(request);
            var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
            var detail = problem["detail"]?.GetValue<string>() ?? "";
            var header = method == HttpMethods.Patch ? "Accept-Patch" : "Accept-Post";
            var advertised = response.Headers.TryGetValues(header, out var values) ? string.Join(", ", values) : null;
            if (advertised != string.Join(", ", accepted) || !accepted.All(detail.Contains))
            {
                failures.Add($"{method} {pattern.RawText}: {header} {advertised ?? "missing"}, detail \"{detail}\", accepts {string.Join(", ", accepted)}");
            }
        }

        routes.Count.ShouldBeGreaterThan(10, "the routes taking a body were not found");
        routes.ShouldContain(r => r.RoutePattern.RawText == "/policies/bundles" && r.Accepted.Contains("application/gzip"));
        failures.ShouldBeEmpty();
    }

    /// <summary>Every role, so that authorisation lets each request reach the media type check.</summary>
    private HttpClient Caller() => broker.ClientFor(TestTenants.PlMinistry, [.. Roles.All]);

    [Fact]
    public async Task A_bundle_in_another_media_type_is_told_both_that_the_route_reads()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/policies/bundles")
        {
            Content = new ByteArrayContent([0x50, 0x4b, 0x03, 0x04]) { Headers = { { "Content-Type", "application/zip" } } },
        };

        using var response = await Caller().SendAsync(request);

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        problem["detail"]!.GetValue<string>().ShouldBe("Send the body as application/json or application/gzip.");
        response.Headers.GetValues("Accept-Post").Single().ShouldBe("application/json, application/gzip");
    }

    /// <summary>
    /// The handler answers a body without a Content-Type, routing one of an unlisted type; a client that keys on the
    /// problem's title (RFC 9457: for a generic type, the status's own phrase) must see one title for both.
    /// </summary>
    [Fact]
    public async Task A_body_without_a_media_type_gets_the_same_title_as_one_of_the_wrong_type()
    {
        using var untyped = new HttpRequestMessage(HttpMethod.Post, "/datasets") { Content = new ByteArrayContent("{}"u8.ToArray()) };
        using var wrongType = new HttpRequestMessage(HttpMethod.Post, "/datasets") { Content = new StringContent("<body/>", Encoding.UTF8, "application/xml") };

        using var handlerAnswer = await Caller().SendAsync(untyped);
        using var routingAnswer = await Caller().SendAsync(wrongType);

        var fromHandler = await ProblemAndOpenApiTests.ShouldBeProblemAsync(handlerAnswer, HttpStatusCode.UnsupportedMediaType);
        var fromRouting = await ProblemAndOpenApiTests.ShouldBeProblemAsync(routingAnswer, HttpStatusCode.UnsupportedMediaType);
        fromHandler["detail"]!.GetValue<string>().ShouldBe("Send the body as application/json.", "the handler's own answer was not the one checked");
        fromHandler["title"]!.GetValue<string>().ShouldBe("Unsupported Media Type");
        fromRouting["title"]!.GetValue<string>().ShouldBe("Unsupported Media Type");
    }
}
