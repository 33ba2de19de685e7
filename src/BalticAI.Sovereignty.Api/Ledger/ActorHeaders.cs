using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Ledger;

/// <summary>
/// Who acted is kept in Marten event headers (not in event bodies), so every event of every slice
/// records organisation, country, client application and pseudonym the same way.
/// </summary>
public static class ActorHeaders
{
    public const string Organisation = "actor_org";
    public const string Country = "actor_country";
    public const string Application = "actor_app";
    public const string Pseudonym = "actor_pseudonym";

    public static void RecordActor(this IDocumentSession session, Actor actor)
    {
        session.SetHeader(Organisation, actor.Organisation);
        session.SetHeader(Country, actor.Country);
        session.SetHeader(Application, actor.Application);
        session.SetHeader(Pseudonym, actor.Pseudonym);
    }

    /// <summary>Stamps one event, for sessions that append on behalf of several actors (group commit).</summary>
    public static IEvent Stamp(this IEvent @event, Actor actor)
    {
        @event.SetHeader(Organisation, actor.Organisation);
        @event.SetHeader(Country, actor.Country);
        @event.SetHeader(Application, actor.Application);
        @event.SetHeader(Pseudonym, actor.Pseudonym);
        return @event;
    }

    public static Actor? ReadActor(this IEvent @event)
    {
        if (@event.Headers is not { } headers || !headers.TryGetValue(Organisation, out var organisation))
        {
            return null;
        }
        return new Actor(
            organisation?.ToString() ?? "",
            headers.GetValueOrDefault(Country)?.ToString() ?? "",
            headers.GetValueOrDefault(Application)?.ToString() ?? "",
            headers.GetValueOrDefault(Pseudonym)?.ToString() ?? "");
    }
}
