namespace DurableFlow.Executors;

/// <summary>Limits applied to every task attempt (configuration section <c>Tasks</c>).</summary>
public sealed class TaskRunnerOptions
{
    /// <summary>Largest result, serialized, a task may return; larger results fail the task clearly.</summary>
    public int MaxResultBytes { get; set; } = 256 * 1024;

    /// <summary>Longest <c>_demo_sleep</c> honoured in demo mode.</summary>
    public double MaxDemoSleepSeconds { get; set; } = 60;
}
