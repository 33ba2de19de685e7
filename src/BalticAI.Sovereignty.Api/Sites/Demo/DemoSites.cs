using static BalticAI.Sovereignty.Api.Sites.RegisteringSite.RegisterSiteEndpoint;

namespace BalticAI.Sovereignty.Api.Sites.Demo;

/// <summary>
/// The demo's compute sites, registered by the EU AI Office's policy administration: a GigaFactory site in Poland
/// accredited as a secure processing environment, and a Lithuanian state data centre that may hold critical state data.
/// </summary>
public static class DemoSites
{
    public const string Registrar = "eu-ai-office";

    public const string Krakow = "pl-cyfronet-krakow";

    public const string Vilnius = "lt-rc-vilnius";

    public static readonly IReadOnlyList<RegisterSite> All =
    [
        new(Krakow, "ACK Cyfronet AGH, Krakow (GigaFactory site)", "PL", "pl-cyfronet",
            ["iso-27001", "secure-processing-environment"], ["SCCO1", "SCCO2", "SCCO3"], DataEmbassyFor: null, DpfCertified: false),
        new(Vilnius, "Registru centras state data centre, Vilnius", "LT", "lt-rc",
            ["iso-27001"], ["LT-PUBLIC", "LT-STATE-INFO", "LT-CRITICAL"], DataEmbassyFor: null, DpfCertified: false),
    ];
}
