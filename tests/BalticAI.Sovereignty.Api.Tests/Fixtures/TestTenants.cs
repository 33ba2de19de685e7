namespace BalticAI.Sovereignty.Api.Tests.Fixtures;

/// <summary>Tenants of the development tenant map (appsettings.Development.json).</summary>
public static class TestTenants
{
    public const string PlMinistry = "5d1c6c1e-0a8f-4a36-9a5e-000000000101";
    public const string PlSpeakLeash = "5d1c6c1e-0a8f-4a36-9a5e-000000000102";
    public const string PlPublisher = "5d1c6c1e-0a8f-4a36-9a5e-000000000103";
    public const string PlCyfronet = "5d1c6c1e-0a8f-4a36-9a5e-000000000104";
    public const string PlUodo = "5d1c6c1e-0a8f-4a36-9a5e-000000000105";
    public const string EeRia = "5d1c6c1e-0a8f-4a36-9a5e-000000000201";
    public const string EeAki = "5d1c6c1e-0a8f-4a36-9a5e-000000000202";
    public const string LtRegisters = "5d1c6c1e-0a8f-4a36-9a5e-000000000301";
    public const string LtVdai = "5d1c6c1e-0a8f-4a36-9a5e-000000000302";
    public const string LvHealth = "5d1c6c1e-0a8f-4a36-9a5e-000000000401";
    public const string LvDvi = "5d1c6c1e-0a8f-4a36-9a5e-000000000402";
    public const string EuAiOffice = "5d1c6c1e-0a8f-4a36-9a5e-000000000501";

    /// <summary>A well-formed tenant id that is not on the allow-list.</summary>
    public const string Unknown = "5d1c6c1e-0a8f-4a36-9a5e-000000000999";
}
