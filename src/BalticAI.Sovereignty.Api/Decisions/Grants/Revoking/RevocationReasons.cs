namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>A revocation's or refusal's reason is `kind:detail` (`job-closed:completed`) or a kind alone (`expired`).</summary>
public static class RevocationReasons
{
    /// <summary>Pure: the reason's kind, a bounded set (metrics are tagged with it) that says which change caused it.</summary>
    public static string KindOf(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? reason : reason[..colon];
    }
}
