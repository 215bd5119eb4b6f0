using System.Net;
using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>A tree of thousands of tasks end to end. It loads the host for a minute or more, so e2e.sh runs it
/// after the other tests (trait <c>Category=Exclusive</c>), when it cannot starve their activities.</summary>
[Trait("Category", "Exclusive")]
[Collection(ExclusiveHost.Name)]
public sealed class WideTreeTests : E2ETest
{
    private async Task<JsonObject> WaitForSummaryEndAsync(string treeId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(300);
        while (true)
        {
            var read = await Api.GetAsync($"api/trees/{treeId}?view=summary");
            if (read.Status == HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(TimeSpan.FromSeconds(5)); // storage slow under this load: retry, as the answer asks
                continue;
            }

            Assert.True(read.Status == HttpStatusCode.OK, read.ToString());
            if (read.Body!.AsObject().Status() is "completed" or "failed" or "cancelled")
            {
                return read.Body!.AsObject();
            }

            Assert.True(DateTime.UtcNow < deadline, $"tree {treeId} did not end: {read}");
            await Task.Delay(500);
        }
    }

    [E2EFact]
    public async Task A_wide_tree_too_big_for_one_message_runs_in_blocks_reads_in_pages_and_reruns()
    {
        // 3,000 tasks: a run input of about 500 KB, kept apart from the orchestration input, and a release of
        // 2,999 tasks at once, run in fan-out blocks.
        var tasks = new List<JsonObject> { Trees.SystemInfo("root") };
        tasks.AddRange(Enumerable.Range(1, 2_999).Select(i => Trees.SystemInfo($"t{i:D4}", i % 2 == 0 ? "memory" : "disk").After("root")));
        var treeId = await Api.StartAsync(Trees.Tree(Trees.NewUser(), [.. tasks]).Set("use_demo", true));

        var summary = await WaitForSummaryEndAsync(treeId);
        if (summary.Status() != "completed")
        {
            var failed = await Api.GetAsync($"api/trees/{treeId}/tasks?status=failed,skipped,cancelled&limit=3");
            Assert.Fail($"tree ended {summary.ToJsonString()}; some tasks: {failed.Text[..Math.Min(failed.Text.Length, 2_000)]}");
        }

        Assert.Equal(3_000, summary["counts"]!["completed"]!.GetValue<int>());

        var tree = (await Api.GetAsync($"api/trees/{treeId}")).Body!.AsObject();
        Assert.Equal(1_000, tree.Tasks().Count());
        var seen = tree.Tasks().Select(t => t["id"]!.GetValue<string>()).ToList();
        for (var next = $"api/trees/{treeId}/tasks?limit=1000&continuation={Uri.EscapeDataString(tree["tasks_continuation"]!.GetValue<string>())}"; next is not null;)
        {
            var page = await Api.GetAsync(next.TrimStart('/'));
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            seen.AddRange(page.Body!["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
            Assert.All(page.Body!["tasks"]!.AsArray(), t => Assert.Equal("completed", t!["status"]!.GetValue<string>()));
            next = page.Body!["links"]!["next"]?.GetValue<string>();
        }

        Assert.Equal(3_000, seen.Distinct().Count());
        var task = (await Api.GetAsync($"api/trees/{treeId}/tasks/t1234")).Body!.AsObject();
        Assert.Equal(("memory", "completed"), (task["inputs"]!["resource"]!.GetValue<string>(), task.Status()));
        Assert.NotNull(task["ran_at"]);

        // A rerun of one task reads the stored tree back, carries the rest and stores its own input.
        var rerun = await Api.PostAsync($"api/trees/{treeId}/rerun", new JsonObject { ["tasks"] = new JsonArray("t1234") });
        Assert.True(rerun.Status == HttpStatusCode.Accepted, rerun.ToString());
        Assert.Equal(2_999, rerun.Body!["carried"]!.GetValue<int>());
        var second = await WaitForSummaryEndAsync(treeId);
        Assert.Equal(("completed", 2), (second.Status(), second["run"]!.GetValue<int>()));
        var again = (await Api.GetAsync($"api/trees/{treeId}/tasks/t1234")).Body!.AsObject();
        Assert.Equal(2, again["attempts"]!.GetValue<int>());
    }
}
