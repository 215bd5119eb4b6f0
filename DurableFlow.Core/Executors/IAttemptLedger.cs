using DurableFlow.Contracts;

namespace DurableFlow.Executors;

/// <summary>
/// Durable memory of attempt outcomes, so a re-delivered activity (at-least-once) returns the first
/// recorded outcome instead of executing again, whichever worker it lands on.
/// </summary>
public interface IAttemptLedger
{
    /// <summary>The recorded outcome of <paramref name="key"/>, or null.</summary>
    Task<TaskRunResultV1?> FindAsync(AttemptKey key, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="outcome"/> unless one is recorded already; returns the one that stands.</summary>
    Task<TaskRunResultV1> RecordAsync(AttemptKey key, TaskRunResultV1 outcome, CancellationToken cancellationToken);
}
