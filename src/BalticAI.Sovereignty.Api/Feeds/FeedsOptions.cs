using BalticAI.Sovereignty.Contracts.Feeds;
using JasperFx.Events.Daemon;

namespace BalticAI.Sovereignty.Api.Feeds;

public sealed class FeedsOptions
{
    public const string SectionName = "Feeds";

    public bool Enabled { get; set; } = true;

    public string Exchange { get; set; } = FeedTopology.Exchange;

    public string QueuePrefix { get; set; } = FeedTopology.QueuePrefix;

    /// <summary>`HotCold` where several broker nodes share one database: one node forwards, the others wait.</summary>
    public DaemonMode DaemonMode { get; set; } = DaemonMode.HotCold;

    /// <summary>
    /// Each commit of any node NOTIFYs the daemon. Off by default: the daemon is woken in-process by this
    /// node's commits (<c>CommitWakeup</c>) and polls for other nodes' commits.
    /// </summary>
    public bool ListenNotify { get; set; }

    /// <summary>Longest wait for RabbitMQ to confirm one page before the page is sent again.</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Authorities by id (e.g. `pl-uodo`). Designations still move, so this is data, not code.</summary>
    public Dictionary<string, AuthorityOptions> Authorities { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<(string Queue, string Feed)> Queues() =>
        Authorities.Select(a => (FeedTopology.QueueFor(a.Key, QueuePrefix), a.Value.Feed));
}

public sealed class AuthorityOptions
{
    /// <summary>PL, EE, LT, LV or EU.</summary>
    public string Feed { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>What the authority oversees: `data-protection`, `ai-act` or `gpai`.</summary>
    public string Role { get; set; } = "";
}
