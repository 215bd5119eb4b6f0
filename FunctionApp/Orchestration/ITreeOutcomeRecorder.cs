using DurableFlow.Contracts;

namespace DurableFlow.Orchestration;

/// <summary>Records a finished run where the tree index shows it.</summary>
public interface ITreeOutcomeRecorder
{
    /// <summary>Stores <paramref name="outcome"/>; must be idempotent (activities run at least once).</summary>
    Task RecordAsync(TreeRunOutcomeV1 outcome, CancellationToken cancellationToken);
}
