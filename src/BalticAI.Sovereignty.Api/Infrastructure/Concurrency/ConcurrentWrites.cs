namespace BalticAI.Sovereignty.Api.Infrastructure.Concurrency;

/// <summary>What Marten throws when another writer committed to the same stream first.</summary>
public static class ConcurrentWrites
{
    public static bool Are(Exception e) =>
        e is JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException;
}
