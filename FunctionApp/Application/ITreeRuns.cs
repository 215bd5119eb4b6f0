using DurableFlow.Contracts;

namespace DurableFlow.Application;

/// <summary>
/// The tree runs as the application services see them: start one, look at one, cancel one, read its
/// status records. Implemented over the Durable client (<see cref="Orchestration.DurableTreeRuns"/>), so the
/// services can be tested with a stand-in.
/// </summary>
public interface ITreeRuns
{
    /// <summary>Starts the orchestration of <paramref name="input"/> (instance id = tree id).</summary>
    Task StartAsync(TreeRunInputV1 input, CancellationToken cancellationToken);

    /// <summary>The tree's orchestration instance, or null when there is none.</summary>
    Task<TreeInstance?> GetAsync(string treeId, bool withInput, CancellationToken cancellationToken);

    /// <summary>Waits until the tree's orchestration has completed; null when it does not exist.</summary>
    Task<TreeInstance?> WaitForCompletionAsync(string treeId, CancellationToken cancellationToken);

    /// <summary>Asks the running orchestration to stop dispatching.</summary>
    Task RequestCancelAsync(string treeId, CancellationToken cancellationToken);

    /// <summary>Ends the tree's orchestration at once (nothing more of it runs), recording <paramref name="reason"/> as its output.</summary>
    Task TerminateAsync(string treeId, string reason, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="update"/> to the tree's status entity (a signal: applied soon after, in order).</summary>
    Task SignalStatusAsync(string treeId, StatusUpdateV1 update, CancellationToken cancellationToken);

    /// <summary>The tree's status records, or null before the status entity exists.</summary>
    Task<TreeStatusStateV1?> ReadStatusAsync(string treeId, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="update"/> to the tree's summary (sharded layout).</summary>
    Task SignalSummaryAsync(string treeId, TreeSummaryUpdateV1 update, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="update"/> to shard <paramref name="shard"/> of the tree (sharded layout).</summary>
    Task SignalShardAsync(string treeId, int shard, StatusUpdateV1 update, CancellationToken cancellationToken);

    /// <summary>The records of shard <paramref name="shard"/>, or null before the shard exists.</summary>
    Task<TaskShardStateV1?> ReadShardAsync(string treeId, int shard, CancellationToken cancellationToken);

    /// <summary>The result of <paramref name="taskId"/> kept apart from its record, or null.</summary>
    Task<TaskResultV1?> ReadResultAsync(string treeId, string taskId, CancellationToken cancellationToken);
}
