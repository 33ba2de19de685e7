namespace BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

public sealed class DecisionsOptions
{
    public const string SectionName = "Decisions";

    /// <summary>Longest life of a grant; shorter when the dataset's terms or the job end sooner.</summary>
    public TimeSpan GrantLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most dataset versions in one access request.</summary>
    public int MaxDatasetsPerRequest { get; set; } = 100;
}
