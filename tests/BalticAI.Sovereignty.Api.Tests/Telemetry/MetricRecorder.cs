using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

/// <summary>A measurement as a listener saw it: instrument, value and tags.</summary>
public sealed record Recorded(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value?.ToString() : null;
}

/// <summary>
/// Listens to one <see cref="Meter"/> instance only. Meters are process-wide and test classes run in
/// parallel in one process, each broker with its own meter factory: listening by name would mix in other
/// brokers' decisions.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Recorded> _recorded = new();

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>Everything recorded so far, after asking the observable instruments for their values now.</summary>
    public IReadOnlyList<Recorded> Of(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _recorded.Where(r => r.Instrument == instrument).ToList();
    }

    public double Sum(string instrument, string tag, string value) =>
        Of(instrument).Where(r => r.Tag(tag) == value).Sum(r => r.Value);

    /// <summary>The newest value of <paramref name="instrument"/> whose <paramref name="tag"/> is <paramref name="value"/>; null when none.</summary>
    public double? Latest(string instrument, string tag, string value) =>
        Of(instrument).LastOrDefault(r => r.Tag(tag) == value)?.Value;

    /// <summary>Polls until <paramref name="condition"/> holds; fails after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            if (condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new ShouldAssertException($"{what} did not happen within {seconds} s");
    }

    public void Dispose() => _listener.Dispose();

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct =>
        _recorded.Enqueue(new Recorded(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
            new Dictionary<string, object?>(tags.ToArray())));
}
