namespace BalticAI.Sovereignty.Api.Ledger.GettingProofs;

/// <summary>RFC 9162 inclusion proof; hashes are base64, in the order the RFC's PATH lists them.</summary>
public sealed record InclusionProofResponse(long Index, long TreeSize, string LeafHash, string RootHash, IReadOnlyList<string> Hashes);

public sealed record ConsistencyProofResponse(long From, long To, string FromRootHash, string ToRootHash, IReadOnlyList<string> Hashes);
