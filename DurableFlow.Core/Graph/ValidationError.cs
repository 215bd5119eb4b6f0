namespace DurableFlow.Graph;

/// <summary>
/// One problem with a submitted tree. <see cref="Code"/> is stable (clients switch on it);
/// <see cref="Message"/> is for people.
/// </summary>
/// <param name="Code">A code from <see cref="ValidationCodes"/>.</param>
/// <param name="Message">What is wrong, naming the task and field.</param>
/// <param name="Path">JSON path of the offending value, e.g. <c>$.tasks[2].priority</c>.</param>
/// <param name="TaskId">The task concerned, when there is one.</param>
/// <param name="RelatedId">The other id concerned (missing dependency, unknown parent, duplicate).</param>
/// <param name="Cycle">For cycles: the ids along the cycle, first id repeated at the end.</param>
public sealed record ValidationError(
    string Code,
    string Message,
    string? Path = null,
    string? TaskId = null,
    string? RelatedId = null,
    IReadOnlyList<string>? Cycle = null);
