using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>
/// pgbench with one single-row INSERT per transaction on the same PostgreSQL: the cost of one durable
/// commit per client, the floor a decision (which also needs one durable commit) is compared with.
/// </summary>
public static partial class PgBench
{
    public sealed record Result(int Clients, double Tps, double LatencyMs);

    public static async Task PrepareAsync(Database db, string table, CancellationToken ct) =>
        await db.PsqlAsync($"create table if not exists {table} (id bigint generated always as identity primary key, client int not null, at timestamptz not null default now())", ct);

    public static async Task<Result> RunAsync(Database db, string table, string workDirectory, int clients, TimeSpan duration, CancellationToken ct)
    {
        var script = Path.Combine(workDirectory, "insert.sql");
        await File.WriteAllTextAsync(script, $"insert into {table} (client) values (:client_id);\n", ct);
        string[] arguments = ["-n", "-c", $"{clients}", "-j", $"{clients}", "-T", $"{(int)duration.TotalSeconds}", "-f", script, .. db.ConnectionArguments];
        var output = "";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                output = await db.RunAsync("pgbench", arguments, ct);
                break;
            }
            catch (InvalidOperationException e) when (attempt < 10 && e.Message.Contains("could not create connection"))
            {
                // A shared server may have no free connection slot for every client right now; wait for one.
                Console.WriteLine($"pgbench could not open {clients} connections (attempt {attempt}); retrying in 10 s");
                await Task.Delay(TimeSpan.FromSeconds(10), ct);
            }
        }
        // Done here, unmeasured: otherwise autovacuum takes up the 100,000 rows just inserted during the
        // broker point that follows, and that point pays for pgbench's table.
        await db.PsqlAsync($"vacuum (analyze) {table}", ct);
        return new Result(clients, Number(TpsLine().Match(output)), Number(LatencyLine().Match(output)));
    }

    private static double Number(Match match) =>
        match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException("unexpected pgbench output");

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();
}

/// <summary>
/// The loopback PostgreSQL the broker uses, reached through psql and pgbench. Broker and pgbench use the
/// same transport: plain TCP by default (TLS on loopback protects nothing and cost the broker about 15% of
/// its CPU in a profile), or TLS for both with <see cref="Tls"/>.
/// </summary>
public sealed record Database(string Host, int Port, string Name, string User, string Password, bool Tls)
{
    /// <summary>
    /// The brokers' idle connections are closed within 30-40 s of a point's end, so that pgbench at 32
    /// clients finds free slots under PostgreSQL's default max_connections (100) after broker points at 32
    /// clients. Not quicker: with a 2 s idle lifetime Npgsql's pruning closed and reopened connections
    /// several times a second under steady load (about 700 PostgreSQL sessions per run instead of about 90),
    /// and every new backend planned its statements and compiled Marten's append function again, a cost
    /// a broker with its default pool (300 s) never pays.
    /// </summary>
    public static readonly TimeSpan PoolDrain = TimeSpan.FromSeconds(40);

    public string NpgsqlConnectionString =>
        $"Host={Host};Port={Port};Database={Name};Username={User};Password={Password};SSL Mode={(Tls ? "Require" : "Disable")};Timeout=5;Command Timeout=15;Connection Idle Lifetime=30;Connection Pruning Interval=10";

    public IReadOnlyList<string> ConnectionArguments => ["-h", Host, "-p", $"{Port}", "-U", User, Name];

    public Task<string> PsqlAsync(string sql, CancellationToken ct) =>
        RunAsync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql, .. ConnectionArguments], ct);

    public async Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["PGPASSWORD"] = Password;
        start.Environment["PGSSLMODE"] = Tls ? "require" : "disable";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await stderr}");
        }
        return await stdout;
    }
}
