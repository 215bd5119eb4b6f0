namespace DurableFlow.Client;

/// <summary>The body of <c>POST /api/trees</c>: a task tree to run.</summary>
public sealed record TreeSubmission
{
    /// <summary>Client-chosen id; the client assigns one before sending when absent, so a retried submission stays idempotent.</summary>
    public string? TreeId { get; init; }

    /// <summary>Owner; the server defaults it to the principal, else <c>anonymous</c>.</summary>
    public string? UserId { get; init; }

    /// <summary>At most this many tasks in flight; 0 = unlimited.</summary>
    public int? MaxParallelism { get; init; }

    /// <summary>Executors return demo results instead of doing real work.</summary>
    public bool? UseDemo { get; init; }

    public IReadOnlyList<TaskSubmission> Tasks { get; init; } = [];
}
