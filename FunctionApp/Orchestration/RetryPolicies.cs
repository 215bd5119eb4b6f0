using DurableFlow.Graph;
using Microsoft.DurableTask;

namespace DurableFlow.Orchestration;

/// <summary>Maps a task's <c>retry</c> settings onto Durable's <see cref="RetryPolicy"/> and its backoff.</summary>
public static class RetryPolicies
{
    private static readonly RetryPolicy Once = new(1, TimeSpan.FromSeconds(1));

    public static RetryPolicy From(RetrySettings? retry) => retry is null
        ? Once
        : new RetryPolicy(
            retry.MaxAttempts,
            TimeSpan.FromSeconds(retry.FirstRetryIntervalSeconds),
            retry.BackoffCoefficient,
            retry.MaxRetryIntervalSeconds is { } max ? TimeSpan.FromSeconds(max) : null);

    /// <summary>Durable's formula: first interval × coefficient^(failed attempts − 1), capped at the maximum.</summary>
    public static TimeSpan DelayBeforeRetry(RetryPolicy policy, int failedAttempts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var seconds = policy.FirstRetryInterval.TotalSeconds * Math.Pow(policy.BackoffCoefficient, failedAttempts - 1);
        var delay = TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
        var cap = policy.MaxRetryInterval;
        return cap != Timeout.InfiniteTimeSpan && delay > cap ? cap : delay;
    }
}
