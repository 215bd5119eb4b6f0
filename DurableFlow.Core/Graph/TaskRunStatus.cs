namespace DurableFlow.Graph;

/// <summary>
/// The status of one task. Terminal statuses are <see cref="Completed"/>, <see cref="Failed"/>,
/// <see cref="Skipped"/> and <see cref="Cancelled"/>. Serialized in snake_case (<c>in_progress</c>).
/// </summary>
/// <remarks>Not named <c>TaskStatus</c>, which would shadow (or clash with) <c>System.Threading.Tasks.TaskStatus</c>.
/// The numbers are persisted (wire contracts V1 write them): never renumber a member.</remarks>
public enum TaskRunStatus
{
    Pending = 0,
    InProgress = 1,
    Completed = 2,
    Failed = 3,
    Skipped = 4,
    Cancelled = 5,
}
