using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>The dependency tutorial's six graphs (samples/), run on the host; order read from task timestamps.</summary>
public sealed class TutorialGraphTests : E2ETest
{
    public static TheoryData<string> Samples() =>
        ["sequential.json", "pipeline.json", "fan-in.json", "optional-fallback.json", "complex-workflow.json", "dependencies-vs-priorities.json"];

    [E2ETheory]
    [MemberData(nameof(Samples))]
    public async Task Every_tutorial_graph_completes_in_dependency_order(string sample)
    {
        var treeId = await Api.StartAsync(Trees.Sample(sample, Trees.NewUser()));

        var tree = await Api.WaitForEndAsync(treeId);

        Assert.Equal("completed", tree.Status());
        Assert.All(tree.Tasks(), t =>
        {
            Assert.Equal("completed", t.Status());
            Assert.NotNull(t["result"]);
            Assert.Equal(1, t["attempts"]!.GetValue<int>());
        });
        Assert.Equal(1.0, tree["progress"]!.GetValue<double>());
        TreeRead.AssertDependencyOrder(tree);
    }

    [E2EFact]
    public async Task A_dependency_overrides_a_more_urgent_priority()
    {
        var treeId = await Api.StartAsync(Trees.Sample("dependencies-vs-priorities.json", Trees.NewUser()));

        var tree = await Api.WaitForEndAsync(treeId);

        // task2 has priority 0 but depends on task1 (priority 2): task1 still runs first.
        Assert.True(tree.Task("task2").Time("started_at") >= tree.Task("task1").Time("completed_at"));
    }

    [E2EFact]
    public async Task An_aggregate_task_receives_the_results_of_all_its_dependencies()
    {
        var tree = Trees.Tree(Trees.NewUser(),
            Trees.SystemInfo("cpu", "cpu"), Trees.SystemInfo("memory", "memory"), Trees.SystemInfo("disk", "disk"),
            new JsonObject { ["id"] = "aggregate", ["name"] = "aggregate_results_executor" }.After("cpu", "memory", "disk"));

        var read = await Api.WaitForEndAsync(await Api.StartAsync(tree));

        var aggregate = read.Task("aggregate");
        Assert.Equal("completed", aggregate.Status());
        Assert.Equal(["cpu", "disk", "memory"], aggregate["result"]!.AsObject().Select(p => p.Key).ToArray());
        foreach (var branch in new[] { "cpu", "memory", "disk" })
        {
            // The aggregate's result holds each branch's own result, as the branch's record shows it.
            Assert.True(JsonNode.DeepEquals(read.Task(branch)["result"], aggregate["result"]![branch]), $"{branch} differs in the aggregate");
        }
    }

    [E2EFact]
    public async Task A_nested_view_puts_children_under_their_parent()
    {
        var treeId = await Api.StartAsync(Trees.Sample("complex-workflow.json", Trees.NewUser()));
        await Api.WaitForEndAsync(treeId);

        var nested = await Api.GetAsync($"api/trees/{treeId}?view=nested");

        Assert.Equal(System.Net.HttpStatusCode.OK, nested.Status);
        var roots = nested.Body!["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["fetch1", "fetch2"], roots);
        var fetch1 = nested.Body!["tasks"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == "fetch1")!;
        Assert.Equal(["final", "process1"], fetch1["children"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).Order().ToList());
    }
}
