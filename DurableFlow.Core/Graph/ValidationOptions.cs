namespace DurableFlow.Graph;

/// <summary>Limits and the executor registry the validator checks a tree against.</summary>
/// <param name="KnownExecutors">Registered executor names; null skips the <c>unknown_executor</c> check.</param>
/// <param name="MaxTasks">Most tasks a tree may have.</param>
/// <param name="MaxDependenciesPerTask">Most dependencies a single task may list.</param>
public sealed record ValidationOptions(
    IReadOnlySet<string>? KnownExecutors = null,
    int MaxTasks = ValidationOptions.DefaultMaxTasks,
    int MaxDependenciesPerTask = ValidationOptions.DefaultMaxDependenciesPerTask)
{
    public const int DefaultMaxTasks = 20_000;
    public const int DefaultMaxDependenciesPerTask = 1_000;
}
