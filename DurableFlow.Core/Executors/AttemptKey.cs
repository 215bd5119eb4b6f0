
namespace DurableFlow.Executors;

/// <summary>Identifies one attempt of one task: what makes a task activity idempotent.</summary>
public sealed record AttemptKey(string TreeId, int Run, string TaskId, int Attempt);
