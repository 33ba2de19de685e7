using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>One request the fake answered, with its path unescaped.</summary>
public sealed record OpaExchange(string Method, string Path, int Status);

/// <summary>
/// An OPA server for tests: real Kestrel on 127.0.0.1 (so the broker goes through its own resilient
/// HttpClient), OPA's REST API from <see cref="FakeOpaApi"/>, real evaluation by the managed Rego engine.
/// Tests can stop it (connection refused), make it fail, refuse with Retry-After or be slow, and restart it empty. It keeps its port
/// across stop and start, as an OPA behind a fixed address does.
/// </summary>
public sealed class FakeOpaServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<OpaExchange> _exchanges = new();
    private readonly Lock _failures = new();
    private WebApplication? _app;
    private int _port;
    private int _failuresLeft;
    private string? _failingMethod;
    private (int Status, string? RetryAfter) _failure = (500, null);
    private Func<Task>? _beforeNextEvaluation;

    private FakeOpaServer()
    {
    }

    public FakeOpaStore Store { get; } = new();

    public Uri Url => new($"http://127.0.0.1:{_port}/");

    /// <summary>Added before every answer (a slow OPA).</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<OpaExchange> Exchanges => _exchanges.ToArray();

    /// <summary>Run after each write (PUT or DELETE) is applied and before it is answered: what a concurrent client could do in between.</summary>
    public Func<Task>? AfterEachWrite { get; set; }

    /// <summary>Runs <paramref name="action"/> once, before the next evaluation (POST on the Data or Query API) is answered.</summary>
    public void BeforeNextEvaluation(Func<Task> action) => _beforeNextEvaluation = action;

    /// <summary>
    /// While set, every evaluation (POST on the Data or Query API) gets this answer instead of being evaluated: an error
    /// OPA would raise where the managed engine behind this fake raises none (a type checker's, another engine's).
    /// </summary>
    public OpaAnswer? EvaluationAnswer { get; set; }

    /// <summary>Evaluations OPA answered (POST on the Data or Query API).</summary>
    public int Evaluations => Exchanges.Count(e => e is { Method: "POST", Status: 200 } && IsEvaluation(e.Path));

    public static async Task<FakeOpaServer> StartNewAsync()
    {
        var server = new FakeOpaServer();
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _port = new Uri(address).Port;
        _app = app;
    }

    /// <summary>Closes the listener: connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The next <paramref name="count"/> requests (of <paramref name="method"/> only, when given) get 500.</summary>
    public void FailNext(int count, string? method = null) => Fail(count, method, (500, null));

    /// <summary>
    /// The next <paramref name="count"/> requests (of <paramref name="method"/> only, when given) get <paramref name="status"/>
    /// (429, 503; or a 500, which gives Retry-After no meaning) with <paramref name="retryAfter"/> (seconds or an HTTP-date)
    /// and a text body, as a proxy in front of an overloaded or restarting OPA answers.
    /// </summary>
    public void RefuseNext(int count, int status, string retryAfter, string? method = null) => Fail(count, method, (status, retryAfter));

    private void Fail(int count, string? method, (int Status, string? RetryAfter) failure)
    {
        lock (_failures)
        {
            _failuresLeft = count;
            _failingMethod = method;
            _failure = failure;
        }
    }

    /// <summary>As OPA comes back from a restart: no modules, no data.</summary>
    public void RestartEmpty() => Store.Clear();

    public HttpClient CreateClient() => new() { BaseAddress = Url };

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        // The raw target keeps %2F inside a policy id, which OPA unescapes as part of the id.
        var rawPath = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget.Split('?')[0];
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }
        if (method == "POST" && Interlocked.Exchange(ref _beforeNextEvaluation, null) is { } before)
        {
            await before();
        }
        var failure = TakeFailure(method);
        if (failure is (var status, { } retryAfter))
        {
            _exchanges.Enqueue(new OpaExchange(method, Uri.UnescapeDataString(rawPath), status));
            context.Response.StatusCode = status;
            context.Response.Headers.RetryAfter = retryAfter;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("no healthy upstream", context.RequestAborted);
            return;
        }
        var answer = failure is not null ? FakeOpaApi.InternalError("injected failure")
            : method == "POST" && IsEvaluation(rawPath) && EvaluationAnswer is { } answered ? answered
            : FakeOpaApi.Handle(Store, method, rawPath, body);
        if (method is "PUT" or "DELETE" && AfterEachWrite is { } after)
        {
            await after();
        }
        _exchanges.Enqueue(new OpaExchange(method, Uri.UnescapeDataString(rawPath), answer.Status));
        context.Response.StatusCode = answer.Status;
        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
        }
    }

    private static bool IsEvaluation(string path) => path.StartsWith("/v1/data", StringComparison.Ordinal) || path == "/v1/query";

    /// <summary>The injected failure this request gets, if any.</summary>
    private (int Status, string? RetryAfter)? TakeFailure(string method)
    {
        lock (_failures)
        {
            if (_failuresLeft == 0 || (_failingMethod is not null && _failingMethod != method))
            {
                return null;
            }
            _failuresLeft--;
            return _failure;
        }
    }
}
