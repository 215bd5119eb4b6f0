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

    /// <summary>Longest <c>_demo_sleep</c> honoured in demo mode.</summary>
    public double MaxDemoSleepSeconds { get; set; } = 60;
}
