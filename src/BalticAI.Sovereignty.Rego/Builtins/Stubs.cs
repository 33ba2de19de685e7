namespace BalticAI.Sovereignty.Rego.Builtins;

internal static partial class BuiltinRegistry
{
    private static void RegisterAggregates() { }
    private static void RegisterStrings() { }
    private static void RegisterCollections() { }
    private static void RegisterEncoding() { }
    private static void RegisterTime() { }
    private static void RegisterMatching() { }
    private static void RegisterMisc() { }
}
