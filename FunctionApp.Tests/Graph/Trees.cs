using System.Text.Json;
using DurableFlow.Graph;

namespace DurableFlow.Tests.Graph;

/// <summary>Small builders for task trees in tests.</summary>
internal static class Trees
{
    public static TaskDependency Req(string id) => new(id, Required: true);

    public static TaskDependency Opt(string id) => new(id, Required: false);

    public static TaskDefinition T(string id, int priority = 1, params TaskDependency[] dependencies) =>
        new(id, "system_info_executor", Priority: priority, Dependencies: dependencies);

    public static TaskDefinition T(string id, params TaskDependency[] dependencies) => T(id, 1, dependencies);

    public static TaskTree Tree(params TaskDefinition[] tasks) => new(null, null, 0, false, tasks);

    public static TaskTree Capped(int maxParallelism, params TaskDefinition[] tasks) => new(null, null, maxParallelism, false, tasks);

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>The result of driving a tree to the end.</summary>
    public sealed record Run(List<string> StartOrder, Dictionary<string, TaskRunStatus> Statuses, Dictionary<string, string?> Errors, TreeStatus Outcome, List<List<string>> Waves);

    /// <summary>
    /// Drives a scheduler to the end: each step completes the oldest in-flight task (failing those in
    /// <paramref name="failing"/>), then releases what became ready.
    /// </summary>
    public static Run Drive(TaskTree tree, params string[] failing)
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(tree), tree.MaxParallelism);
        var order = new List<string>();
        var waves = new List<List<string>>();
        var inFlight = new Queue<string>();
        var statuses = new Dictionary<string, TaskRunStatus>();
        var errors = new Dictionary<string, string?>();

        void Take(IReadOnlyList<ReleasedTask> released)
        {
            waves.Add(released.Select(r => r.Task.Id).ToList());
            foreach (var r in released)
            {
                order.Add(r.Task.Id);
                inFlight.Enqueue(r.Task.Id);
            }
        }

        Take(scheduler.Start());
        while (inFlight.Count > 0)
        {
            var id = inFlight.Dequeue();
            if (failing.Contains(id))
            {
                scheduler.Fail(id, "boom");
            }
            else
            {
                scheduler.Complete(id, Json($"{{\"from\":\"{id}\"}}"));
            }

            Take(scheduler.Release());
        }

        Assert.True(scheduler.IsFinished);
        foreach (var change in scheduler.TakeChanges())
        {
            statuses[change.TaskId] = change.Status;
            errors[change.TaskId] = change.Error;
        }

        return new Run(order, statuses, errors, scheduler.Status, waves.Where(w => w.Count > 0).ToList());
    }
}
