using DurableFlow.Orchestration;

namespace DurableFlow.Executors;

/// <summary>Identifies one attempt of one task: what makes a task activity idempotent.</summary>
public sealed record AttemptKey(string TreeId, int Run, string TaskId, int Attempt);

/// <summary>
/// Durable memory of attempt outcomes, so a re-delivered activity (at-least-once) returns the first
/// recorded outcome instead of executing again, whichever worker it lands on.
/// </summary>
public interface IAttemptLedger
{
    /// <summary>The recorded outcome of <paramref name="key"/>, or null.</summary>
    Task<TaskRunResult?> FindAsync(AttemptKey key, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="outcome"/> unless one is recorded already; returns the one that stands.</summary>
    Task<TaskRunResult> RecordAsync(AttemptKey key, TaskRunResult outcome, CancellationToken cancellationToken);
}
