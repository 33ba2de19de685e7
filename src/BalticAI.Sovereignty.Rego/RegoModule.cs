namespace BalticAI.Sovereignty.Rego;

/// <summary>A policy source file: a path (used in error messages) and its Rego text.</summary>
public sealed record RegoModule(string Path, string Source);
