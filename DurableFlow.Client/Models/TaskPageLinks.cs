namespace DurableFlow.Client;

/// <summary>Links of a tasks page, relative to the host.</summary>
public sealed record TaskPageLinks
{
    /// <summary>The next page's path with its query (<c>/api/trees/demo-1/tasks?...&amp;continuation=...</c>); null on the last page.</summary>
    public string? Next { get; init; }
}
