using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>One run of a tree in the status entity's run history, version 1.</summary>
public sealed class RunSummaryV1
{
    public int Run { get; set; }

    public string? StartedAt { get; set; }

    public string? CompletedAt { get; set; }

    public TreeStatus Status { get; set; }
}
