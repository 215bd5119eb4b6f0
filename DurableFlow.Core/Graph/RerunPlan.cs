using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>
/// Which tasks a rerun of an ended tree runs again, and which completed results it keeps. By default
/// every task that did not complete runs again; explicitly named completed tasks run again together with
/// everything downstream of them (their transitive dependents). Completed tasks that are not re-run keep
/// their results, which reach re-run dependents through <c>dependency_results</c> as in the first run.
/// </summary>
/// <param name="Rerun">Ids of the tasks that run again, in submission order.</param>
/// <param name="Carried">Results of the completed tasks that are kept, by task id.</param>
public sealed record RerunPlan(IReadOnlyList<string> Rerun, IReadOnlyDictionary<string, JsonElement> Carried)
{
    /// <summary>
    /// Plans a rerun from each task's status and result in the ended run. Linear in tasks + edges.
    /// </summary>
    /// <param name="graph">The tree.</param>
    /// <param name="statusOf">Each task's status in the ended run.</param>
    /// <param name="resultOf">Each completed task's result.</param>
    /// <param name="alsoRerun">Completed tasks to run again, with their dependents; may be empty.</param>
    /// <param name="unknown">Ids in <paramref name="alsoRerun"/> that are not tasks of the tree.</param>
    public static RerunPlan Create(
        TaskGraph graph,
        Func<string, TaskRunStatus> statusOf,
        Func<string, JsonElement?> resultOf,
        IReadOnlyCollection<string> alsoRerun,
        out IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(statusOf);
        ArgumentNullException.ThrowIfNull(resultOf);
        ArgumentNullException.ThrowIfNull(alsoRerun);

        var rerun = new bool[graph.Count];
        var walk = new Stack<int>();
        var missing = new List<string>();
        foreach (var id in alsoRerun)
        {
            if (graph.TryGetIndex(id, out var index))
            {
                walk.Push(index);
            }
            else
            {
                missing.Add(id);
            }
        }

        unknown = missing;
        for (var i = 0; i < graph.Count; i++)
        {
            if (statusOf(graph.Tasks[i].Id) != TaskRunStatus.Completed)
            {
                rerun[i] = true;
            }
        }

        // Everything downstream of an explicitly named task runs again, whatever its status.
        var seen = new bool[graph.Count];
        while (walk.Count > 0)
        {
            var index = walk.Pop();
            if (seen[index])
            {
                continue;
            }

            seen[index] = true;
            rerun[index] = true;
            foreach (var edge in graph.DependentsOf(index))
            {
                walk.Push(edge.Task);
            }
        }

        var ids = new List<string>();
        var carried = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Count; i++)
        {
            var id = graph.Tasks[i].Id;
            if (rerun[i])
            {
                ids.Add(id);
            }
            else
            {
                carried[id] = resultOf(id) ?? JsonDocument.Parse("null").RootElement;
            }
        }

        return new RerunPlan(ids, carried);
    }
}
