using DurableFlow.Contracts;

namespace DurableFlow.Application;

/// <summary>A tree's orchestration instance: whether it ended, and its input when asked for.</summary>
/// <param name="IsCompleted">The instance has ended (completed, failed or terminated).</param>
/// <param name="Input">The run's input, when asked for.</param>
/// <param name="Failure">Set when the instance ended <em>failed</em> or <em>terminated</em> rather than by
/// returning its outcome: what happened (the failure message, or the termination). Then nothing of the run
/// is running any more, whatever its status records still say.</param>
public sealed record TreeInstance(bool IsCompleted, TreeRunInputV1? Input, string? Failure = null);
