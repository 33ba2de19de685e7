using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// Runs a witness round every interval. A refused checkpoint is recorded and logged as an error (the
/// broker showed a history that does not extend the one this authority cosigned); the witness never
/// cosigns past it. Failures to reach the broker are retried on the next round.
/// </summary>
public sealed class CheckpointWitness(
    IHttpClientFactory http, IOptions<InboxOptions> inbox, IOptions<WitnessOptions> options, WitnessMemory memory,
    WitnessTokens tokens, TimeProvider clock, ILogger<CheckpointWitness> logger) : BackgroundService
{
    public const string HttpClientName = "witness";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await memory.CreateAsync(stoppingToken);
        using var key = EcPrivateKeyFile.LoadOrCreate(o.KeyFile, clock).ToEcdsa();
        var client = http.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(inbox.Value.Broker.TrimEnd('/') + "/");
        var round = new WitnessRound(client, o.Name, key, o.Origin, memory, tokens.GetAsync, clock);
        logger.LogInformation("Witness {Name} with public key {Key}", o.Name, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.IntervalSeconds), clock);
        do
        {
            try
            {
                var report = await round.RunAsync(stoppingToken);
                if (report.Outcome == WitnessOutcome.Refused)
                {
                    logger.LogError("Refused to cosign checkpoint {Size}: {Reason}", report.Size, report.Reason);
                    await memory.RecordRefusalAsync(report.Size, report.Reason, stoppingToken);
                }
                else if (report.Outcome == WitnessOutcome.Cosigned)
                {
                    logger.LogInformation("Cosigned checkpoint {Size}", report.Size);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Witness round failed; retrying in {Interval} s", o.IntervalSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
