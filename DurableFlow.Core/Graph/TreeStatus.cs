namespace DurableFlow.Graph;

/// <summary>The status of a whole tree: pending until its first task starts, then per the leaf rule.</summary>
/// <remarks>The numbers are persisted (wire contracts V1 write them): never renumber a member.</remarks>
public enum TreeStatus
{
    Pending = 0,
    InProgress = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
}
