using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Datasets.AmendingTerms;
using BalticAI.Sovereignty.Api.Datasets.PublishingVersion;
using BalticAI.Sovereignty.Api.Datasets.RegisteringDataset;
using BalticAI.Sovereignty.Api.Datasets.Restricting;
using BalticAI.Sovereignty.Api.Datasets.Withdrawing;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>The pure decisions, Given (events) / When (command) / Then (events or error), without a broker.</summary>
public sealed class DatasetDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly Actor Owner = new("pl-mc", "PL", "app", "ps:x");

    private static DatasetTerms Terms(string storageCountry = "PL") => new()
    {
        Title = "t",
        Controller = "c",
        Contact = "a@b.example",
        Sovereignty = new() { OriginCountry = "PL", Storage = new() { Country = storageCountry } },
        Origin = new() { SourceType = SourceType.Public, CollectionMethod = "m" },
        Licensing = new() { Licence = "MIT", CopyrightBasis = CopyrightBasis.Owned },
        PersonalData = new() { ContainsPersonalData = false },
        Content = new() { Modality = Modality.Text },
    };

    private static Dataset Given(params Func<Dataset, object>[] then)
    {
        var state = Dataset.Create(RegisterDataset.Decide(Guid.CreateVersion7(), Owner, Terms(), Now));
        return then.Aggregate(state, (s, next) => s.After(next(s)));
    }

    private static PublishVersion.PublishVersionRequest Version(string digest = "sha256:" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12") =>
        new(digest, 10, 5, ["pl"], null);

    [Fact]
    public void Registration_concerns_origin_storage_and_owner_countries()
    {
        var registered = RegisterDataset.Decide(Guid.CreateVersion7(), new Actor("ee-ria", "EE", "app", "ps:x"), Terms("LU"), Now);

        ((ILedgerEvent)registered).Countries.ShouldBe(["EE", "LU", "PL"]);
        registered.Owner.ShouldBe("ee-ria");
    }

    [Fact]
    public void Versions_are_numbered_from_one()
    {
        var first = PublishVersion.Decide(Given(), Version(), Now).Events.Single().ShouldBeOfType<DatasetVersionPublished>();
        var second = PublishVersion.Decide(Given(_ => first), Version("sha256:" + new string('c', 64)), Now).Events.Single().ShouldBeOfType<DatasetVersionPublished>();

        first.Number.ShouldBe(1);
        second.Number.ShouldBe(2);
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("SHA256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")]
    public void A_malformed_digest_is_invalid(string digest)
    {
        var decision = PublishVersion.Decide(Given(), Version(digest), Now);

        decision.Events.ShouldBeEmpty();
        decision.Error!.Kind.ShouldBe(DatasetErrorKind.Invalid);
        decision.Error.Fields.Entries.Keys.ShouldBe(["/digest"]);
    }

    [Fact]
    public void A_withdrawn_dataset_refuses_every_change()
    {
        var withdrawn = Given(s => WithdrawDataset.Decide(s, new(WithdrawalReason.ErasureRequest, null), Now).Events.Single());

        withdrawn.Status.ShouldBe(DatasetStatus.Withdrawn);
        PublishVersion.Decide(withdrawn, Version(), Now).Error!.Kind.ShouldBe(DatasetErrorKind.Conflict);
        AmendTerms.Decide(withdrawn, Terms(), ["/title"], Now).Error!.Kind.ShouldBe(DatasetErrorKind.Conflict);
        RestrictDataset.Decide(withdrawn, new RestrictDataset.RestrictionRequest(RestrictionReason.OwnerReview, null), Now).Error!.Kind.ShouldBe(DatasetErrorKind.Conflict);
        WithdrawDataset.Decide(withdrawn, new(WithdrawalReason.OwnerDecision, null), Now).Error!.Kind.ShouldBe(DatasetErrorKind.Conflict);
    }

    [Fact]
    public void Restriction_then_lifting_returns_to_active()
    {
        var restricted = Given(s => RestrictDataset.Decide(s, new RestrictDataset.RestrictionRequest(RestrictionReason.LegalClaims, "n"), Now).Events.Single());
        var lifted = restricted.After(RestrictDataset.Decide(restricted, new RestrictDataset.LiftingRequest(RestrictionLiftReason.ClaimsSettled, null), Now).Events.Single());

        restricted.Status.ShouldBe(DatasetStatus.Restricted);
        restricted.Restriction!.Reason.ShouldBe(RestrictionReason.LegalClaims);
        lifted.Status.ShouldBe(DatasetStatus.Active);
        lifted.Restriction.ShouldBeNull();
        RestrictDataset.Decide(lifted, new RestrictDataset.LiftingRequest(RestrictionLiftReason.ReviewCompleted, null), Now).Error!.Kind.ShouldBe(DatasetErrorKind.Conflict);
    }

    [Fact]
    public void An_amendment_moving_storage_concerns_both_the_old_and_the_new_country()
    {
        var amended = AmendTerms.Decide(Given(), Terms("LU"), ["/sovereignty/storage/country"], Now).Events.Single().ShouldBeOfType<DatasetTermsAmended>();

        amended.Countries.ShouldBe(["LU", "PL"]);
    }

    [Fact]
    public void An_amendment_that_changes_nothing_records_nothing()
    {
        var decision = AmendTerms.Decide(Given(), Terms(), [], Now);

        decision.Events.ShouldBeEmpty();
        decision.Error.ShouldBeNull();
    }

    [Fact]
    public void Every_dataset_event_is_a_ledger_event_and_free_text_is_marked()
    {
        var events = typeof(Dataset).Assembly.GetTypes().Where(t => t.Namespace == typeof(Dataset).Namespace && t.Name.StartsWith("Dataset", StringComparison.Ordinal)
            && t.GetProperty("DatasetId") is not null).ToList();

        events.Count.ShouldBe(7);
        events.ShouldAllBe(t => typeof(ILedgerEvent).IsAssignableFrom(t));
        typeof(DatasetWithdrawn).GetProperty(nameof(DatasetWithdrawn.Note))!.IsDefined(typeof(FreeTextAttribute), false).ShouldBeTrue();
        typeof(DatasetVersionWithdrawn).GetProperty(nameof(DatasetVersionWithdrawn.Note))!.IsDefined(typeof(FreeTextAttribute), false).ShouldBeTrue();
        typeof(DatasetTerms).GetProperty(nameof(DatasetTerms.Title))!.IsDefined(typeof(FreeTextAttribute), false).ShouldBeTrue();
    }
}
