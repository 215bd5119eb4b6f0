using DurableFlow.Orchestration;
using DurableFlow.Contracts;

namespace DurableFlow.Storage;

/// <summary>Records a finished run in the tree index (the row's status, counts and completion time).</summary>
public sealed class TreeIndexOutcomeRecorder(ITreeIndex index) : ITreeOutcomeRecorder
{
    public Task RecordAsync(TreeRunOutcomeV1 outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var completedAt = new DateTimeOffset(DateTime.SpecifyKind(outcome.CompletedAt, DateTimeKind.Utc));
        return index.RecordOutcomeAsync(new TreeOutcomeUpdate(outcome.TreeId, outcome.Run, outcome.Status, outcome.Counts.ToDomain(), completedAt, outcome.Error), cancellationToken);
    }
}
