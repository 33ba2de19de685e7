using System.Collections.Concurrent;
using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using Microsoft.Extensions.Logging;

namespace BalticAI.Sovereignty.Api.Tests.Infrastructure.Resilience;

public sealed class RepeatingWorkTests
{
    [Fact]
    public async Task A_failed_pass_is_logged_and_the_next_one_still_runs()
    {
        var log = new RecordingLogger();
        using var work = new CountedWork(log, failFirst: true, waitsFirst: false);

        await work.StartAsync(CancellationToken.None);
        await work.PassesReached(3);
        await work.StopAsync(CancellationToken.None);

        log.Warnings.ShouldContain(w => w.Contains("Counting passes failed", StringComparison.Ordinal));
        log.Warnings.Count.ShouldBe(1);
        work.ExecuteTask!.IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task Work_that_waits_before_its_first_pass_runs_none_before_the_interval()
    {
        var clock = new HeldClock();
        using var work = new CountedWork(new RecordingLogger(), failFirst: false, waitsFirst: true, clock);

        await work.StartAsync(CancellationToken.None);
        await clock.TimerCreated.Task.WaitAsync(TimeSpan.FromSeconds(30));
        work.Passes.ShouldBe(0);
        clock.Fire();
        await work.PassesReached(1);
        await work.StopAsync(CancellationToken.None);

        work.ExecuteTask!.IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task Stopping_during_a_pass_ends_the_loop_without_a_warning()
    {
        var log = new RecordingLogger();
        using var work = new CountedWork(log, failFirst: false, waitsFirst: false) { BlockInPass = true };

        await work.StartAsync(CancellationToken.None);
        await work.PassesReached(1);
        await work.StopAsync(CancellationToken.None);

        log.Warnings.ShouldBeEmpty();
        work.ExecuteTask!.IsCompletedSuccessfully.ShouldBeTrue();
    }

    private sealed class CountedWork(ILogger logger, bool failFirst, bool waitsFirst, TimeProvider? clock = null)
        : RepeatingWork(clock ?? TimeProvider.System, logger)
    {
        private int _passes;

        public int Passes => Volatile.Read(ref _passes);

        public bool BlockInPass { get; init; }

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(10);

        protected override string Work => "Counting passes";

        protected override bool WaitsBeforeFirstPass => waitsFirst;

        protected override async Task RunPassAsync(CancellationToken ct)
        {
            var pass = Interlocked.Increment(ref _passes);
            if (BlockInPass)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
            if (failFirst && pass == 1)
            {
                throw new InvalidOperationException("the database is away");
            }
        }

        public async Task PassesReached(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Passes < count)
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, $"only {Passes} of {count} passes ran");
                await Task.Delay(10);
            }
        }
    }

    /// <summary>A clock whose one timer fires only when told to.</summary>
    private sealed class HeldClock : TimeProvider
    {
        private (TimerCallback Callback, object? State)? _timer;

        public TaskCompletionSource TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (_timer is null)
            {
                _timer = (callback, state);
                TimerCreated.TrySetResult();
                return new NeverTimer();
            }
            return System.CreateTimer(callback, state, dueTime, period);
        }

        public void Fire() => _timer!.Value.Callback(_timer.Value.State);

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
