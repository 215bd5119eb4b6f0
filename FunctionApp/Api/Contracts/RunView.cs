using DurableFlow.Graph;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>One run in a tree's run history.</summary>
public sealed record RunView(int Run, string? StartedAt, string? CompletedAt, string Status)
{
    public static RunView From(RunSummaryV1 run) => new(run.Run, run.StartedAt, run.CompletedAt, run.Status.ToWire());
}
