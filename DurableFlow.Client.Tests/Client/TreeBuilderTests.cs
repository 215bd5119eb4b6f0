using System.Net;
using System.Text.Json;
using CsCheck;
using DurableFlow.Client.Tests.Fakes;

namespace DurableFlow.Client.Tests.Client;

public class TreeBuilderTests
{
    [Fact]
    public void The_tutorials_fan_in_builds_the_contracts_json()
    {
        var tree = new TreeBuilder(userId: "tutorial_user", treeId: "fan-in");
        var cpu = tree.CreateTask("system_info_executor", id: "cpu", inputs: new { resource = "cpu" }, priority: 1);
        var memory = tree.CreateTask("system_info_executor", id: "memory", inputs: new { resource = "memory" }, priority: 1);
        var disk = tree.CreateTask("system_info_executor", id: "disk", inputs: new { resource = "disk" }, priority: 1);
        tree.CreateTask("system_info_executor", id: "aggregate", inputs: new { resource = "all" }, priority: 2, parent: cpu)
            .DependsOn(cpu, memory, disk);

        var json = JsonSerializer.Serialize(tree.Build(), DurableFlowJson.Request);

        const string expected = """
            {"tree_id": "fan-in", "user_id": "tutorial_user", "tasks": [
              {"id": "cpu", "name": "system_info_executor", "inputs": {"resource": "cpu"}, "priority": 1},
              {"id": "memory", "name": "system_info_executor", "inputs": {"resource": "memory"}, "priority": 1},
              {"id": "disk", "name": "system_info_executor", "inputs": {"resource": "disk"}, "priority": 1},
              {"id": "aggregate", "name": "system_info_executor", "inputs": {"resource": "all"}, "priority": 2, "parent_id": "cpu",
               "dependencies": [{"id": "cpu", "required": true}, {"id": "memory", "required": true}, {"id": "disk", "required": true}]}]}
            """;
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(expected)!.ToJsonString(), json);
    }

    [Fact]
    public void Optional_dependencies_retries_timeouts_and_demo_mode_reach_the_submission()
    {
        var tree = new TreeBuilder { UseDemo = true, MaxParallelism = 2 };
        var primary = tree.CreateTask("rest_executor", inputs: new { url = "https://example.invalid" })
            .WithRetry(new RetrySettings { MaxAttempts = 3, BackoffCoefficient = 2 })
            .WithTimeout(TimeSpan.FromSeconds(30));
        var fallback = tree.CreateTask("system_info_executor").DependsOnOptional(primary);

        var built = tree.Build();

        Assert.Equal(["task-1", "task-2"], built.Tasks.Select(t => t.Id));
        Assert.True(built.UseDemo);
        Assert.Equal(2, built.MaxParallelism);
        Assert.Equal(3, built.Tasks[0].Retry!.MaxAttempts);
        Assert.Equal(30, built.Tasks[0].TimeoutSeconds);
        Assert.Equal(new DependencySubmission(primary.Id, Required: false), built.Tasks[1].Dependencies!.Single());
        Assert.Equal(fallback.Id, built.Tasks[1].Id);
    }

    [Fact]
    public void Declaring_a_dependency_again_changes_how_it_is_required_instead_of_repeating_it()
    {
        var tree = new TreeBuilder();
        var a = tree.CreateTask("x");
        var b = tree.CreateTask("x").DependsOn(a).DependsOnOptional(a);

        Assert.Equal([new DependencySubmission(a.Id, false)], tree.Build().Tasks[1].Dependencies!);
        Assert.Same(b, tree.Tasks[1]);
    }

    [Fact]
    public void Tasks_of_another_tree_and_repeated_ids_are_refused()
    {
        var one = new TreeBuilder();
        var other = new TreeBuilder();
        var stranger = other.CreateTask("x", id: "a");
        var task = one.CreateTask("x", id: "a");

        Assert.Throws<ArgumentException>(() => task.DependsOn(stranger));
        Assert.Throws<ArgumentException>(() => task.WithParent(stranger));
        Assert.Throws<ArgumentException>(() => one.CreateTask("x", id: "a"));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.WithPriority(-1));
    }

    [Fact]
    public void The_tree_id_is_chosen_once_so_building_twice_names_the_same_tree()
    {
        var tree = new TreeBuilder();
        tree.CreateTask("x");

        Assert.Matches("^[0-9a-f]{32}$", tree.TreeId);
        Assert.Equal(tree.Build().TreeId, tree.Build().TreeId);
    }

    [Fact]
    public async Task SubmitAsync_sends_the_built_tree()
    {
        var server = new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.Accepted, new SubmitResponse { TreeId = "t", TaskCount = 1 }));
        var client = DurableFlowClient.Create(new DurableFlowClientOptions(), server);
        var tree = new TreeBuilder(treeId: "t");
        tree.CreateTask("system_info_executor", id: "cpu");

        var answer = await client.SubmitAsync(tree);

        Assert.Equal("t", answer.TreeId);
        Assert.Equal("""{"tree_id":"t","tasks":[{"id":"cpu","name":"system_info_executor"}]}""", server.Requests.Single().Body);
    }

    [Fact]
    public void Any_built_tree_names_only_its_own_tasks_and_round_trips_through_json()
    {
        // Random DAGs: each task may depend on any earlier task, required or not, and have an earlier parent.
        var gen = Gen.Int[1, 12].SelectMany(n => Gen.Select(
            Gen.Bool.Array[n * n], Gen.Bool.Array[n * n], Gen.Int[-1, 11].Array[n], Gen.Int[0, 3].Array[n],
            (edges, required, parents, priorities) => (n, edges, required, parents, priorities)));

        gen.Sample(sample =>
        {
            var tree = new TreeBuilder(treeId: "p");
            var tasks = new List<TaskBuilder>();
            for (var i = 0; i < sample.n; i++)
            {
                var task = tree.CreateTask("system_info_executor", priority: sample.priorities[i],
                    parent: sample.parents[i] >= 0 && sample.parents[i] < i ? tasks[sample.parents[i]] : null);
                for (var j = 0; j < i; j++)
                {
                    if (sample.edges[i * sample.n + j])
                    {
                        if (sample.required[i * sample.n + j]) { task.DependsOn(tasks[j]); } else { task.DependsOnOptional(tasks[j]); }
                    }
                }
                tasks.Add(task);
            }

            var built = tree.Build();
            var ids = built.Tasks.Select(t => t.Id).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.All(built.Tasks, t => Assert.All(t.Dependencies ?? [], d => Assert.Contains(d.Id, ids)));
            Assert.All(built.Tasks, t => Assert.True(t.ParentId is null || ids.Contains(t.ParentId)));

            var again = JsonSerializer.Deserialize<TreeSubmission>(JsonSerializer.Serialize(built, DurableFlowJson.Request), DurableFlowJson.Wire)!;
            Assert.Equal(built.Tasks.Select(t => (t.Id, t.Priority, t.ParentId)), again.Tasks.Select(t => (t.Id, t.Priority, t.ParentId)));
            Assert.Equal(built.Tasks.SelectMany(t => t.Dependencies ?? []), again.Tasks.SelectMany(t => t.Dependencies ?? []));
        });
    }
}
