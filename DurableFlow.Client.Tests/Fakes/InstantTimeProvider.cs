namespace DurableFlow.Client.Tests.Fakes;

/// <summary>
/// A clock whose timers due within a minute fire at once (so back-off delays cost nothing) and later ones never
/// (so attempt time-outs never trip); it records every delay asked for.
/// </summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    private readonly List<TimeSpan> _delays = [];

    public static TimeSpan Horizon { get; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays)
            {
                return _delays.ToList();
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new InstantTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Record(TimeSpan delay)
    {
        lock (_delays)
        {
            _delays.Add(delay);
        }
    }

    private sealed class InstantTimer(InstantTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan && dueTime < Horizon)
            {
                clock.Record(dueTime);
                // On the pool, never inline: the caller may not have stored the timer yet.
                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }
            return true;
        }

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
