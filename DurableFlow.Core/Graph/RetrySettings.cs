using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>Retry policy of a task; maps onto a Durable retry policy.</summary>
public sealed record RetrySettings(
    int MaxAttempts,
    double FirstRetryIntervalSeconds = RetrySettings.DefaultFirstRetryIntervalSeconds,
    double BackoffCoefficient = RetrySettings.DefaultBackoffCoefficient,
    double? MaxRetryIntervalSeconds = null)
{
    public const double DefaultFirstRetryIntervalSeconds = 1;
    public const double DefaultBackoffCoefficient = 1;
}
