namespace DurableFlow.Contracts;

/// <summary>A task's retry policy as persisted, version 1.</summary>
public sealed record RetrySettingsV1(int MaxAttempts, double FirstRetryIntervalSeconds, double BackoffCoefficient, double? MaxRetryIntervalSeconds);
