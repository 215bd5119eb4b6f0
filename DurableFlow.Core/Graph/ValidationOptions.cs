namespace DurableFlow.Graph;

/// <summary>Limits and the executor registry the validator checks a tree against.</summary>
/// <param name="KnownExecutors">Registered executor names; null skips the <c>unknown_executor</c> check.</param>
/// <param name="MaxTasks">Most tasks a tree may have.</param>
/// <param name="MaxDependenciesPerTask">Most dependencies a single task may list.</param>
/// <param name="MaxInputBytesPerTask">Largest <c>inputs</c> (its JSON) one task may have.</param>
public sealed record ValidationOptions(
    IReadOnlySet<string>? KnownExecutors = null,
    int MaxTasks = ValidationOptions.DefaultMaxTasks,
    int MaxDependenciesPerTask = ValidationOptions.DefaultMaxDependenciesPerTask,
    int MaxInputBytesPerTask = ValidationOptions.DefaultMaxInputBytesPerTask)
{
    /// <summary>1 MiB: what one task could have when a whole tree was at most 1 MiB; with the dependency
    /// results (at most 3 MiB) it keeps an attempt's message under the 4 MB host-to-worker limit.</summary>
    public const int DefaultMaxInputBytesPerTask = 1024 * 1024;

    public const int DefaultMaxTasks = 20_000;
    public const int DefaultMaxDependenciesPerTask = 1_000;
}
