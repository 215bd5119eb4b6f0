using DurableFlow.Graph;

namespace DurableFlow.Api;

/// <summary>Tasks per status, as on the wire.</summary>
public sealed record CountsView(int Pending, int InProgress, int Completed, int Failed, int Skipped, int Cancelled)
{
    public static CountsView From(TaskCounts counts) =>
        new(counts.Pending, counts.InProgress, counts.Completed, counts.Failed, counts.Skipped, counts.Cancelled);
}
