namespace BalticAI.Sovereignty.LoadTests;

/// <summary>
/// Busy CPU time of the whole machine from /proc/stat. A decision costs broker, PostgreSQL, RabbitMQ and
/// generator time on the same cores, so on a CPU-bound host the machine's time per decision is the figure
/// that throughput divides into; the broker's own CPU time leaves PostgreSQL out.
/// </summary>
public static class MachineCpu
{
    // USER_HZ is 100 on every Linux architecture .NET runs on.
    private const double MillisecondsPerTick = 10;

    public static double BusyMilliseconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return double.NaN;
        }
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
        long[] busy = [long.Parse(fields[1]), long.Parse(fields[2]), long.Parse(fields[3]), long.Parse(fields[6]), long.Parse(fields[7]), long.Parse(fields[8])];
        return busy.Sum() * MillisecondsPerTick;
    }
}
