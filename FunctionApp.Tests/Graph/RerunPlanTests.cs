using System.Text.Json;
using DurableFlow.Graph;
using static DurableFlow.Tests.Graph.Trees;

namespace DurableFlow.Tests.Graph;

public class RerunPlanTests
{
    // a → b → c, a → d, e (independent)
    private static readonly TaskGraph Graph = TaskGraph.Build(Tree(T("a"), T("b", Req("a")), T("c", Req("b")), T("d", Opt("a")), T("e")));

    private static RerunPlan Plan(Dictionary<string, TaskRunStatus> statuses, params string[] also) =>
        RerunPlan.Create(Graph, id => statuses[id], id => statuses[id] == TaskRunStatus.Completed ? Json($"\"{id}\"") : null, also, out _);

    private static Dictionary<string, TaskRunStatus> Statuses(TaskRunStatus a, TaskRunStatus b, TaskRunStatus c, TaskRunStatus d, TaskRunStatus e) =>
        new() { ["a"] = a, ["b"] = b, ["c"] = c, ["d"] = d, ["e"] = e };

    [Fact]
    public void Default_reruns_every_task_that_did_not_complete()
    {
        var plan = Plan(Statuses(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TaskRunStatus.Completed, TaskRunStatus.Cancelled));
        Assert.Equal(["b", "c", "e"], plan.Rerun);
        Assert.Equal(["a", "d"], plan.Carried.Keys.Order());
        Assert.Equal("a", plan.Carried["a"].GetString());
    }

    [Fact]
    public void Named_tasks_rerun_with_their_transitive_dependents()
    {
        var all = Statuses(TaskRunStatus.Completed, TaskRunStatus.Completed, TaskRunStatus.Completed, TaskRunStatus.Completed, TaskRunStatus.Completed);
        Assert.Equal(["a", "b", "c", "d"], Plan(all, "a").Rerun);
        Assert.Equal(["b", "c"], Plan(all, "b").Rerun);
        Assert.Equal(["e"], Plan(all, "e").Rerun);
        Assert.Empty(Plan(all).Rerun);
    }

    [Fact]
    public void Unknown_names_are_reported()
    {
        RerunPlan.Create(Graph, _ => TaskRunStatus.Completed, _ => null, ["a", "zz", "yy"], out var unknown);
        Assert.Equal(["zz", "yy"], unknown);
    }

    [Fact]
    public void Carried_results_reach_rerun_dependents_and_carried_tasks_never_run_again()
    {
        var plan = Plan(Statuses(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TaskRunStatus.Completed, TaskRunStatus.Completed));
        var scheduler = new TreeScheduler(Graph, 0, plan.Carried);
        var first = scheduler.Start();
        var b = Assert.Single(first);
        Assert.Equal("b", b.Task.Id);
        Assert.Equal("a", b.DependencyResults["a"].GetString());
        Assert.Equal(new TaskCounts(1, 1, 3, 0, 0, 0), scheduler.Counts);
        scheduler.Complete("b", Json("\"b2\""));
        Assert.Equal(["c"], scheduler.Release().Select(r => r.Task.Id));
        scheduler.Complete("c", Json("1"));
        Assert.Equal(TreeStatus.Completed, scheduler.Status);
        Assert.DoesNotContain(scheduler.TakeChanges(), c => c.TaskId is "a" or "d" or "e");
    }

    [Fact]
    public void Plans_are_linear_over_a_long_chain()
    {
        var tasks = Enumerable.Range(0, 50_000).Select(i => i == 0 ? T("t0") : T($"t{i}", Req($"t{i - 1}"))).ToArray();
        var graph = TaskGraph.Build(Tree(tasks));
        var plan = RerunPlan.Create(graph, _ => TaskRunStatus.Completed, _ => null, ["t0"], out _);
        Assert.Equal(50_000, plan.Rerun.Count);
    }
}
