namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

/// <summary>App roles, as defined on the Entra ID app registration and carried in the `roles` claim.</summary>
public static class Roles
{
    public const string DataOwner = nameof(DataOwner);
    public const string TrainingSystem = nameof(TrainingSystem);
    public const string DataPlane = nameof(DataPlane);
    public const string Auditor = nameof(Auditor);
    public const string Regulator = nameof(Regulator);
    public const string PolicyAdmin = nameof(PolicyAdmin);

    public static readonly IReadOnlyList<string> All = [DataOwner, TrainingSystem, DataPlane, Auditor, Regulator, PolicyAdmin];
}
