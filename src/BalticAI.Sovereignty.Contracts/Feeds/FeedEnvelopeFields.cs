namespace BalticAI.Sovereignty.Contracts.Feeds;

/// <summary>Attribute names of a feed envelope: CloudEvents 1.0 context attributes and our three extensions.</summary>
public static class FeedEnvelopeFields
{
    public const string SpecVersion = "specversion";
    public const string Id = "id";
    public const string Source = "source";
    public const string Type = "type";
    public const string Time = "time";
    public const string Subject = "subject";
    public const string DataContentType = "datacontenttype";
    public const string Data = "data";

    /// <summary>The feed's own sequence, 1, 2, 3, ... without gaps.</summary>
    public const string FeedSeq = "feedseq";

    /// <summary>`sha256:` and the hex SHA-256 of the stored bytes of the feed's previous envelope.</summary>
    public const string PrevHash = "prevhash";

    /// <summary>Detached JWS (ES256, with `kid`) over the RFC 8785 form of the envelope without `jws`.</summary>
    public const string Jws = "jws";

    public const string SpecVersionValue = "1.0";

    public const string TypePrefix = "eu.baltic-ai.sovereignty.";

    /// <summary>The `prevhash` of a feed's first envelope: there is nothing before it.</summary>
    public static readonly string GenesisHash = "sha256:" + new string('0', 64);
}
