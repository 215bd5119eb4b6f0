using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Storage;
using Microsoft.Extensions.Logging;

namespace DurableFlow.Application;

/// <summary>
/// Repairs a tree whose orchestration ended without recording its end — it failed in a way the orchestrator
/// could not catch (a non-determinism failure, a poison input, a fault while recording) or it was
/// terminated — while its status records or index row still say it runs. Without this such a tree would
/// read <c>in_progress</c>, refuse cancel (409) and rerun (409 <c>tree_running</c>) forever. The repair
/// records the run <c>failed</c> with what ended it, in the index row and the status entity, exactly as the
/// orchestrator's own fault path would have; it is idempotent, so concurrent readers may all do it.
/// </summary>
public sealed partial class TreeReconciliation(ITreeIndex index, TimeProvider time, ILogger<TreeReconciliation> logger)
{
    /// <summary>
    /// <paramref name="entry"/> and <paramref name="state"/> as they are once reconciled with the tree's
    /// orchestration instance (<paramref name="instance"/> if the caller has read it, else read here — only
    /// when the records say the tree runs, so ended trees cost nothing extra).
    /// </summary>
    public async Task<(TreeIndexEntry Entry, TreeStatusStateV1? State)> ReconcileAsync(
        TreeIndexEntry entry, TreeStatusStateV1? state, TreeInstance? instance, ITreeRuns runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(runs);
        var hasState = TreeRecords.HasRun(state);
        var stateRuns = hasState && !state!.Status.IsTerminal();
        if (entry.Status.IsTerminal() && !stateRuns)
        {
            return (entry, state);
        }

        if (hasState && entry.Run > state!.Run)
        {
            return (entry, state); // a rerun has claimed the next run and is starting it: nothing has ended
        }

        instance ??= await runs.GetAsync(entry.TreeId, withInput: false, cancellationToken);
        if (instance?.Failure is not { } failure)
        {
            return (entry, state);
        }

        var run = await RunOfAsync(entry, state, instance, runs, cancellationToken);
        var now = time.GetUtcNow();
        TreeStatus status;
        TaskCounts counts;
        string? error;
        if (hasState && state!.Run == run && state.Status.IsTerminal())
        {
            // The records ended (the orchestrator signalled its end) but the index row missed it.
            (status, counts, error) = (state.Status, TreeRecords.CountsOf(state), state.Error);
        }
        else
        {
            if (hasState && state!.Run == run)
            {
                counts = RunFault.Ended(TreeRecords.CountsOf(state));
                RunFault.Apply(state, WireTime.Format(now.UtcDateTime), failure);
            }
            else
            {
                counts = RunFault.Ended(entry.Counts);
            }

            (status, error) = (TreeStatus.Failed, failure);
            await TreeRecords.RecordFaultAsync(entry, state, run, counts, now.UtcDateTime, failure, runs, cancellationToken);
        }

        LogReconciled(logger, entry.TreeId, run, failure);
        if (await index.RecordOutcomeAsync(new TreeOutcomeUpdate(entry.TreeId, run, status, counts, now, error), cancellationToken))
        {
            entry = entry with { Status = status, Run = run, Counts = counts, CompletedAt = now, Error = error, State = TreeIndexState.Started };
        }

        return (entry, state);
    }

    /// <summary>The run the ended instance was running: from its input (read here if needed); if that cannot
    /// be read (a poison input), the run the records know.</summary>
    private static async Task<int> RunOfAsync(TreeIndexEntry entry, TreeStatusStateV1? state, TreeInstance instance, ITreeRuns runs, CancellationToken cancellationToken)
    {
        try
        {
            var input = instance.Input ?? (await runs.GetAsync(entry.TreeId, withInput: true, cancellationToken))?.Input;
            if (input is not null)
            {
                return input.Run;
            }
        }
        catch (JsonException)
        {
            // Unreadable input: fall back on the records.
        }

        return state is { Run: > 0 } ? state.Run : entry.Run;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tree {TreeId} run {Run} ended outside its orchestrator's control ({Failure}); recorded as failed")]
    private static partial void LogReconciled(ILogger logger, string treeId, int run, string failure);
}
