using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Contracts.Feeds;

namespace BalticAI.Sovereignty.RegulatorInbox;

public sealed partial class InboxOptions
{
    public const string SectionName = "Inbox";

    /// <summary>The authority this inbox belongs to, as configured at the broker (e.g. `pl-uodo`).</summary>
    public string Authority { get; set; } = "";

    /// <summary>PL, EE, LT, LV or EU.</summary>
    public string Feed { get; set; } = "";

    /// <summary>Base address of the broker, whose `/.well-known/jwks.json` verifies the envelopes.</summary>
    public string Broker { get; set; } = "";

    public string Exchange { get; set; } = FeedTopology.Exchange;

    public string QueuePrefix { get; set; } = FeedTopology.QueuePrefix;

    /// <summary>PostgreSQL schema of this inbox; defaults to `inbox_` and the authority id.</summary>
    public string? Schema { get; set; }

    public int BatchSize { get; set; } = 200;

    public ushort Prefetch { get; set; } = 1000;

    /// <summary>
    /// How much of a rejected message's body is kept with its failure (its length and SHA-256 always are): a rejected
    /// message is not the broker's, so whoever can publish to the feed chooses its size, up to RabbitMQ's 128 MiB.
    /// Conflicting and unchained envelopes, validly signed by the broker, are kept whole.
    /// </summary>
    public int MaxRejectedBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The largest message taken for an envelope. The broker's largest, a policy activation carrying its bundle, stays
    /// far below the default with the broker's default body limit (`Api:MaxRequestBodyBytes`, 1 MiB; an archive inflates
    /// to at most eight times that): a larger message is rejected without being copied or parsed, so a sender choosing
    /// RabbitMQ's 128 MiB costs the inbox neither. Raise it with the broker's body limit.
    /// </summary>
    public int MaxEnvelopeBytes { get; set; } = 32 * 1024 * 1024;

    public string Queue => FeedTopology.QueueFor(Authority, QueuePrefix);

    public string SchemaName => Schema ?? "inbox_" + Authority.Replace('-', '_');

    public void Validate()
    {
        if (!FeedNames.IsFeed(Feed))
        {
            throw new InvalidOperationException($"Inbox:Feed '{Feed}' is not one of PL, EE, LT, LV, EU");
        }
        if (!IsPlainIdentifier(SchemaName) || string.IsNullOrEmpty(Authority))
        {
            throw new InvalidOperationException($"Inbox:Authority '{Authority}' or Inbox:Schema '{SchemaName}' is not a plain identifier");
        }
        if (!Uri.TryCreate(Broker, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException($"Inbox:Broker '{Broker}' is not an absolute address");
        }
        if (MaxRejectedBodyBytes < 0)
        {
            throw new InvalidOperationException($"Inbox:MaxRejectedBodyBytes {MaxRejectedBodyBytes} must not be negative");
        }
        if (MaxEnvelopeBytes <= 0)
        {
            throw new InvalidOperationException($"Inbox:MaxEnvelopeBytes {MaxEnvelopeBytes} must be positive");
        }
    }

    /// <summary>A PostgreSQL identifier that needs no quoting, as the inbox writes its schema into its SQL.</summary>
    public static bool IsPlainIdentifier(string name) => Identifier().IsMatch(name);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}

public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
}
