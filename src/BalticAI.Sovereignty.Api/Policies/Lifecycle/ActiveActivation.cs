using BalticAI.Sovereignty.Api.Policies.Bundles;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// The bundle in force on this node and the version of the lifecycle stream whose activation put it there: the active
/// policy's ETag. Kept as one value so a reader never pairs a bundle with another activation's version.
/// </summary>
public sealed record ActiveActivation(PolicyBundle Bundle, long Version);

/// <summary>An activation as recorded: what its tests showed and the lifecycle stream's version it was recorded at.</summary>
public sealed record RecordedActivation(BundleTests Tests, long Version);
