namespace DurableFlow.Api;

/// <summary><c>GET /api/trees/{tree_id}/tasks</c>: a page of task records; <see cref="Continuation"/> reads
/// the next (null on the last page). A page may hold fewer tasks than asked and still have a next one.</summary>
public sealed record TaskPageResponse(string TreeId, int Run, IReadOnlyList<TaskView> Tasks, string? Continuation, TaskPageLinks Links);
