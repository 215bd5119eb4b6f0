namespace DurableFlow.Client;

/// <summary>How the client retries transient failures: 408, 429 (honouring <c>Retry-After</c>), 502, 503, 504, connection failures and per-attempt time-outs.</summary>
public sealed class DurableFlowRetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first back-off delay; it grows exponentially, with jitter.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off delay between attempts.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit of one attempt; a timed-out attempt is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
