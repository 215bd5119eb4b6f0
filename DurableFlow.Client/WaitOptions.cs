namespace DurableFlow.Client;

/// <summary>Polling cadence of <see cref="DurableFlowClient.WaitAsync"/>: it starts fast, backs off while nothing changes, and is fast again after a change.</summary>
public sealed record WaitOptions
{
    public TimeSpan InitialInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Factor the interval grows by after each poll that saw no change.</summary>
    public double BackoffFactor { get; init; } = 1.5;
}
