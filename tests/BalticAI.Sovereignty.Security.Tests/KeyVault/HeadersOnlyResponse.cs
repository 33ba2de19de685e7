using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

/// <summary>
/// An answer with a status and headers only, for header readings the fake vault cannot send (a malformed number,
/// a Date header other than its own clock). Names match without regard to case, as over HTTP.
/// </summary>
internal sealed class HeadersOnlyResponse(int status, params (string Name, string Value)[] headers) : Response
{
    public override int Status => status;

    public override string ReasonPhrase => "";

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; } = "";

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(h => new HttpHeader(h.Name, h.Value));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = TryGetHeader(name, out var value) ? [value] : null;
        return values is not null;
    }
}
