using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.Grants.RevokingGrant;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>Who may end a grant by hand, and when there is nothing left to end, without a broker.</summary>
public sealed class RevokeGrantDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("pl-cyfronet", new[] { Roles.TrainingSystem }, "pl-mc", "revoked-by-training-system:job-ended")]
    [InlineData("pl-mc", new[] { Roles.DataOwner }, "pl-mc", "revoked-by-data-owner:job-ended")]
    [InlineData("pl-cyfronet", new[] { Roles.DataOwner, Roles.TrainingSystem }, "pl-cyfronet", "revoked-by-data-owner:job-ended")]
    [InlineData("eu-ai-office", new[] { Roles.PolicyAdmin, Roles.Auditor }, "pl-mc", "revoked-by-policy-admin:job-ended")]
    [InlineData("pl-mc", new[] { Roles.TrainingSystem }, "pl-mc", null)]
    [InlineData("pl-publisher", new[] { Roles.DataOwner }, "pl-mc", null)]
    [InlineData("pl-cyfronet", new[] { Roles.DataPlane }, "pl-mc", null)]
    public void The_role_that_allows_it_names_the_revoker(string organisation, string[] roles, string datasetOwner, string? expected)
    {
        var (reason, refusal) = RevokeGrantEndpoint.Decide(Grant(GrantStatus.Active, 1), Caller(organisation, roles), datasetOwner, new("job-ended"), Now);

        reason.ShouldBe(expected);
        refusal?.Status.ShouldBe(403);
        (reason is null).ShouldBe(refusal is not null);
    }

    [Theory]
    [InlineData(GrantStatus.Revoked, 1, "The grant is already revoked")]
    [InlineData(GrantStatus.Active, 0, "The grant has expired")]
    public void A_grant_revoked_or_expired_is_409(GrantStatus status, int hoursLeft, string title)
    {
        var (reason, refusal) = RevokeGrantEndpoint.Decide(Grant(status, hoursLeft), Caller("eu-ai-office", [Roles.PolicyAdmin]), "pl-mc", new("compromised"), Now);

        reason.ShouldBeNull();
        refusal!.Status.ShouldBe(409);
        refusal.Title.ShouldBe(title);
    }

    private static Grant Grant(GrantStatus status, int hoursLeft) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, Guid.NewGuid(),
        "pl-cyfronet", Now.AddHours(hoursLeft), [], ["PL"], status, status == GrantStatus.Revoked ? "dataset-withdrawn:erasure-request" : null, 0, 0);

    private static Caller Caller(string organisation, string[] roles) =>
        new(new Actor(organisation, "PL", "someone", "user"), roles.ToHashSet(), "tenant");
}
