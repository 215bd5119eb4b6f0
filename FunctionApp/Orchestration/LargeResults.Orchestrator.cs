using System.Runtime.InteropServices;
using DurableFlow.Contracts;
using DurableFlow.Status;
using Microsoft.DurableTask;

namespace DurableFlow.Orchestration;

/// <summary>
/// Results larger than the layout keeps inline, sent to their own <see cref="TaskResultEntity"/> and confirmed
/// before the record hears the task ended — so a reader that finds a record ended finds its result. Shared by
/// the tree's orchestration and the fan-out blocks. Deterministic.
/// </summary>
internal static class LargeResults
{
    /// <summary>Keeps every too-large result in <paramref name="changes"/> apart and replaces its change with one
    /// that says so (no result, <c>ResultApart</c>).</summary>
    public static async Task KeepApartAsync(TaskOrchestrationContext context, string treeId, int run, StatusLayoutV1 layout, IList<TaskStatusChangeV1> changes)
    {
        List<Task>? kept = null;
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i].Result is { } result && JsonMarshal.GetRawUtf8Value(result).Length > layout.InlineResultBytes)
            {
                (kept ??= []).Add(context.Entities.CallEntityAsync(TaskResultEntity.IdFor(treeId, changes[i].TaskId),
                    TaskResultEntity.SetOperation, new TaskResultV1(run, result)));
                changes[i] = changes[i] with { Result = null, ResultApart = true };
            }
        }

        if (kept is not null)
        {
            await Task.WhenAll(kept);
        }
    }
}
