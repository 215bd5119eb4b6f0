namespace DurableFlow.Client;

/// <summary>Retry policy of a task; <see cref="MaxAttempts"/> counts the first attempt.</summary>
public sealed record RetrySettings
{
    public required int MaxAttempts { get; init; }

    public double? FirstRetryIntervalSeconds { get; init; }

    public double? BackoffCoefficient { get; init; }

    public double? MaxRetryIntervalSeconds { get; init; }
}
