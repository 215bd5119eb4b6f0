using System.Text.Json;
using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>The dflow command line against the real host: its exit codes are what scripts rely on.</summary>
public sealed class DflowCliTests : E2ETest, IDisposable
{
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string WriteTree(JsonObject tree)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dflow-e2e-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, tree.ToJsonString());
        _files.Add(path);
        return path;
    }

    [E2EFact]
    public async Task Submit_wait_of_a_tutorial_graph_exits_0_with_plain_progress_lines_and_the_tree_reads_completed()
    {
        var treeId = Trees.NewId("dflow-fan-in");
        var file = WriteTree(Trees.Sample("fan-in.json", Trees.NewUser()));

        var run = await DflowProcess.RunAsync("submit", file, "--wait", "--tree-id", treeId);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"submitted tree {treeId} (4 tasks)", run.Output, StringComparison.Ordinal);
        Assert.Matches($@"\[\d+\.\ds\] tree {treeId} completed 4/4 ended \(completed 4\)", run.Output);
        Assert.DoesNotContain("\u001b[", run.Output, StringComparison.Ordinal);
        var status = await DflowProcess.RunAsync("status", treeId, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var read = JsonDocument.Parse(status.Output).RootElement;
        Assert.Equal("completed", read.GetProperty("status").GetString());
        Assert.Equal(4, read.GetProperty("counts").GetProperty("completed").GetInt32());
        var graph = await DflowProcess.RunAsync("graph", treeId);
        Assert.Contains("class t0,t1,t2,t3 completed", graph.Output, StringComparison.Ordinal);
    }

    [E2EFact]
    public async Task Submit_wait_of_a_failing_tree_exits_1_and_names_the_failed_task()
    {
        var file = WriteTree(Trees.Sample("failure-cascade.json", Trees.NewUser()));

        var run = await DflowProcess.RunAsync("submit", file, "--wait");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("gpu:", run.Output, StringComparison.Ordinal);
    }

    [E2EFact]
    public async Task Submit_wait_of_a_tree_cancelled_meanwhile_exits_3()
    {
        var treeId = Trees.NewId("dflow-cancel");
        var tree = Trees.Tree(Trees.NewUser(),
                Trees.SystemInfo("first").Set("inputs", new JsonObject { ["resource"] = "cpu", ["_demo_sleep"] = 4 }),
                Trees.SystemInfo("second").After("first"))
            .Set("use_demo", true);
        var waiting = DflowProcess.Start("submit", WriteTree(tree), "--wait", "--tree-id", treeId);

        await Api.WaitForTreeAsync(treeId, t => t["status"]!.GetValue<string>() == "in_progress", TimeSpan.FromSeconds(60), "the tree to start");
        var cancel = await DflowProcess.RunAsync("cancel", treeId);
        var run = await waiting.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"tree {treeId}  cancelled", run.Output, StringComparison.Ordinal);
    }

    [E2EFact]
    public async Task A_tree_the_server_rejects_exits_2_with_its_code_and_an_unknown_tree_too()
    {
        var file = WriteTree(Trees.Tree(Trees.NewUser(), Trees.SystemInfo("a").After("a")));

        var rejected = await DflowProcess.RunAsync("submit", file);
        var unknown = await DflowProcess.RunAsync("status", Trees.NewId("nope"));

        Assert.True(rejected.ExitCode == 2, rejected.ToString());
        Assert.Contains("self_dependency", rejected.Error, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("404 not_found", unknown.Error, StringComparison.Ordinal);
    }
}
