namespace BalticAI.Sovereignty.Rego;

/// <summary>Entry point of the managed Rego engine.</summary>
public static class RegoEngine;
