namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>Other nodes' activations kept being recorded between this one's read and its commit; nothing of it was recorded.</summary>
public sealed class PolicyActivationContendedException() : Exception("other activations were recorded in between, each time this one was about to be");
