namespace BalticAI.Sovereignty.Rego.Builtins;

internal static partial class BuiltinRegistry
{
    private static void RegisterTime() { }
}
