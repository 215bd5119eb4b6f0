using DurableFlow.Contracts;

namespace DurableFlow.Application;

/// <summary>A tree's orchestration instance: whether it ended, and its input when asked for.</summary>
public sealed record TreeInstance(bool IsCompleted, TreeRunInputV1? Input);
