namespace DurableFlow.Executors;

/// <summary>Limits applied to every task attempt (configuration section <c>Tasks</c>).</summary>
public sealed class TaskRunnerOptions
{
    /// <summary>Largest result, serialized, a task may return; larger results fail the task clearly.</summary>
    public int MaxResultBytes { get; set; } = 256 * 1024;

    /// <summary>Default <see cref="MaxDependencyResultsBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxDependencyResultsBytes = 1024 * 1024;

    /// <summary>Largest accepted <see cref="MaxDependencyResultsBytes"/>: 3 MiB, under the 4 MB host-to-worker
    /// gRPC message limit with room for the task's own inputs and the envelope.</summary>
    public const long MaxDependencyResultsBytesCeiling = 3 * 1024 * 1024;

    /// <summary>
    /// Most bytes of <c>dependency_results</c> (each result's JSON plus its key) one task may receive; past it
    /// the task fails before it is scheduled. Also the most results one status signal carries. Every activity
    /// call and entity operation crosses the host-to-worker gRPC channel as one message of at most 4 MB: the
    /// default of 1 MiB leaves room for the task's inputs (the whole tree is at most <c>Api:MaxRequestBytes</c>,
    /// 1 MiB) and the envelope. Fixed into each run when it starts (submission or rerun).
    /// </summary>
    public long MaxDependencyResultsBytes { get; set; } = DefaultMaxDependencyResultsBytes;

    /// <summary>Default <see cref="FanOutBlockSize"/>.</summary>
    public const int DefaultFanOutBlockSize = 100;

    /// <summary>Largest accepted <see cref="FanOutBlockSize"/>.</summary>
    public const int MaxFanOutBlockSize = 1_000;

    /// <summary>
    /// A step that releases more tasks than this runs them in fan-out blocks (sub-orchestrations) of at most
    /// this many, so no orchestration's history grows with the width of the tree; 0 turns blocks off (every
    /// task runs from the tree's own orchestration). Fixed into each run when it starts.
    /// </summary>
    public int FanOutBlockSize { get; set; } = DefaultFanOutBlockSize;

    /// <summary>Longest <c>_demo_sleep</c> honoured in demo mode.</summary>
    public double MaxDemoSleepSeconds { get; set; } = 60;
}
