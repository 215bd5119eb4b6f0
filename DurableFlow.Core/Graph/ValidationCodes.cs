namespace DurableFlow.Graph;

/// <summary>The stable validation codes.</summary>
public static class ValidationCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidRequest = "invalid_request";
    public const string EmptyTree = "empty_tree";
    public const string TooManyTasks = "too_many_tasks";
    public const string TooManyDependencies = "too_many_dependencies";
    public const string InvalidId = "invalid_id";
    public const string InvalidField = "invalid_field";
    public const string DuplicateTaskId = "duplicate_task_id";
    public const string MissingDependency = "missing_dependency";
    public const string SelfDependency = "self_dependency";
    public const string CycleDetected = "cycle_detected";
    public const string UnknownParent = "unknown_parent";
    public const string ParentCycle = "parent_cycle";
    public const string UnknownExecutor = "unknown_executor";
}
