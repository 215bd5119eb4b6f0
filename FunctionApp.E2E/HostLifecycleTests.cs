using System.Diagnostics;
using DurableFlow.E2E.Support;
using Xunit.Abstractions;

namespace DurableFlow.E2E;

/// <summary>
/// The host stopped gracefully, and killed, while a tree runs. Executions are counted by the suite's own
/// server (the executor's side), not only read from the task records. e2e.sh runs these alone, after the
/// rest of the suite: they take the host away.
/// </summary>
[Trait("Category", "HostLifecycle")]
[Collection(ExclusiveHost.Name)]
public sealed class HostLifecycleTests(ITestOutputHelper output) : E2ETest
{
    /// <summary>The bar: a tree moves again within a minute of the host's restart.</summary>
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);

    private JsonObject Chain(string prefix, int length, int delayMs)
    {
        var tasks = new JsonObject[length];
        for (var i = 0; i < length; i++)
        {
            tasks[i] = Server.Task($"t{i + 1}", $"{prefix}/t{i + 1}", delayMs);
            if (i > 0)
            {
                tasks[i].After($"t{i}");
            }
        }

        return Trees.Tree(Trees.NewUser(), tasks);
    }

    [HostLifecycleFact]
    public async Task After_a_graceful_restart_mid_tree_the_tree_completes_and_nothing_completed_runs_again()
    {
        var prefix = Trees.NewId("restart");
        var treeId = await Api.StartAsync(Chain(prefix, 4, delayMs: 2000));
        await Server.WaitForCallsAsync($"{prefix}/t2", 1, TimeSpan.FromSeconds(60));

        await HostControl.StopAsync();
        await HostControl.StartAsync();

        var tree = await Api.WaitForEndAsync(treeId, TimeSpan.FromSeconds(240));
        Assert.Equal("completed", tree.Status());
        Assert.Equal(1, Server.Calls($"{prefix}/t1"));
        Assert.InRange(Server.Calls($"{prefix}/t2"), 1, 2); // in flight at the stop: at least once
        Assert.Equal(1, Server.Calls($"{prefix}/t3"));
        Assert.Equal(1, Server.Calls($"{prefix}/t4"));
        TreeRead.AssertDependencyOrder(tree);
    }

    [HostLifecycleFact]
    public async Task After_a_crash_mid_tree_the_tree_moves_within_a_minute_of_the_restart_and_completes_without_rerunning_completed_tasks()
    {
        var prefix = Trees.NewId("crash");
        var treeId = await Api.StartAsync(Chain(prefix, 6, delayMs: 3000));
        await Server.WaitForCallsAsync($"{prefix}/t3", 1, TimeSpan.FromSeconds(60));

        await HostControl.KillAsync();
        var crashedAt = Stopwatch.StartNew();
        await HostControl.StartAsync();
        var restartedAt = Stopwatch.StartNew();
        output.WriteLine($"host restarted {crashedAt.Elapsed.TotalSeconds:F1} s after the kill");

        // t3 was in flight: its HTTP call died with the worker, so moving again means t3 is called again.
        await Server.WaitForCallsAsync($"{prefix}/t3", 2, TimeSpan.FromSeconds(240));
        var recovery = restartedAt.Elapsed;
        output.WriteLine($"tree moving again {recovery.TotalSeconds:F1} s after the restart ({crashedAt.Elapsed.TotalSeconds:F1} s after the kill)");
        Assert.True(recovery <= RecoveryLimit, $"the tree stalled {recovery.TotalSeconds:F0} s after the restart");

        var tree = await Api.WaitForEndAsync(treeId, TimeSpan.FromSeconds(120));
        Assert.Equal("completed", tree.Status());
        for (var i = 1; i <= 6; i++)
        {
            var task = tree.Task($"t{i}");
            Assert.Equal("completed", task.Status());
            // Results intact: each task's result is the answer to its own call.
            Assert.Equal($"{prefix}/t{i}", task["result"]!["json"]!["key"]!.GetValue<string>());
        }

        Assert.Equal(1, Server.Calls($"{prefix}/t1"));
        Assert.Equal(1, Server.Calls($"{prefix}/t2"));
        Assert.Equal(2, Server.Calls($"{prefix}/t3"));
        Assert.Equal(1, Server.Calls($"{prefix}/t4"));
        Assert.Equal(1, Server.Calls($"{prefix}/t5"));
        Assert.Equal(1, Server.Calls($"{prefix}/t6"));
        TreeRead.AssertDependencyOrder(tree);
    }
}
