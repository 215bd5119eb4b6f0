using System.Net;
using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>Reads that cost the same whatever the tree's size: the summary, pages of tasks, one task, and trees
/// whose results together are far larger than one host-to-worker message.</summary>
public sealed class ScaleReadTests : E2ETest
{
    private static JsonObject Wide(string userId, int count) => Trees.Tree(userId,
        [.. Enumerable.Range(0, count).Select(i => Trees.SystemInfo($"t{i:D4}"))]).Set("use_demo", true);

    private async Task<JsonObject> WaitForSummaryEndAsync(string treeId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (true)
        {
            var read = await Api.GetAsync($"api/trees/{treeId}?view=summary");
            Assert.True(read.Status == HttpStatusCode.OK, read.ToString());
            if (read.Body!.AsObject().Status() is "completed" or "failed" or "cancelled")
            {
                return read.Body!.AsObject();
            }

            Assert.True(DateTime.UtcNow < deadline, $"tree {treeId} did not end: {read}");
            await Task.Delay(250);
        }
    }

    [E2EFact]
    public async Task The_summary_has_no_tasks_and_pages_return_every_task_exactly_once()
    {
        var user = Trees.NewUser();
        var treeId = await Api.StartAsync(Wide(user, 130));

        var summary = await WaitForSummaryEndAsync(treeId);
        Assert.Null(summary["tasks"]);
        Assert.Equal(("completed", 130, 130, 1.0), (summary.Status(), summary["task_count"]!.GetValue<int>(),
            summary["counts"]!["completed"]!.GetValue<int>(), summary["progress"]!.GetValue<double>()));
        Assert.Equal($"/api/trees/{treeId}/tasks", summary["links"]!["tasks"]!.GetValue<string>());

        // Pages of 40, followed by their continuation: every task once, no results unless asked.
        var seen = new List<string>();
        string? next = $"api/trees/{treeId}/tasks?limit=40";
        var pages = 0;
        while (next is not null)
        {
            var page = await Api.GetAsync(next.TrimStart('/'));
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            var tasks = page.Body!["tasks"]!.AsArray();
            Assert.True(tasks.Count <= 40);
            Assert.All(tasks, t => Assert.False(t!.AsObject().ContainsKey("result"), "a page leaves results out unless asked"));
            seen.AddRange(tasks.Select(t => t!["id"]!.GetValue<string>()));
            next = page.Body!["links"]!["next"]?.GetValue<string>();
            Assert.Equal(page.Body!["continuation"] is null, next is null);
            pages++;
        }

        Assert.True(pages >= 4, $"{pages} pages");
        Assert.Equal(Enumerable.Range(0, 130).Select(i => $"t{i:D4}"), seen.Order(StringComparer.Ordinal));

        var withResults = await Api.GetAsync($"api/trees/{treeId}/tasks?limit=5&include=results");
        Assert.All(withResults.Body!["tasks"]!.AsArray(), t => Assert.NotNull(t!["result"]));
        Assert.Empty((await Api.GetAsync($"api/trees/{treeId}/tasks?status=failed,pending")).Body!["tasks"]!.AsArray());
        Assert.Equal(130, (await Api.GetAsync($"api/trees/{treeId}/tasks?status=completed&limit=1000")).Body!["tasks"]!.AsArray().Count);

        // The default tree read: the whole (small) tree in submission order, results left out.
        var tree = (await Api.GetAsync($"api/trees/{treeId}")).Body!.AsObject();
        Assert.Equal(Enumerable.Range(0, 130).Select(i => $"t{i:D4}"), tree.Tasks().Select(t => t["id"]!.GetValue<string>()));
        Assert.Null(tree["tasks_continuation"]);
        Assert.All(tree.Tasks(), t => Assert.False(t.ContainsKey("result")));

        // One task: with its result.
        var task = await Api.GetAsync($"api/trees/{treeId}/tasks/t0042");
        Assert.Equal(("completed", true), (task.Body!.AsObject().Status(), task.Body!["result"] is JsonObject));
    }

    [E2EFact]
    public async Task Bad_page_parameters_are_refused_and_another_users_tasks_are_not_found()
    {
        var user = Trees.NewUser();
        var treeId = await Api.StartAsync(Wide(user, 3));
        await WaitForSummaryEndAsync(treeId);

        foreach (var (query, param) in new[] { ("limit=0", "limit"), ("limit=1001", "limit"), ("continuation=nonsense", "continuation"), ("status=done", "status"), ("include=everything", "include") })
        {
            var answer = await Api.GetAsync($"api/trees/{treeId}/tasks?{query}");
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{query}: {answer}");
            Assert.Equal(param, answer.Body!["error"]!["details"]![0]!["path"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Api.GetAsync($"api/trees/{treeId}?view=everything")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"api/trees/{treeId}/tasks?user_id=someone-else")).Status);
    }

    [LocalE2EFact]
    public async Task A_tree_whose_results_pass_4_MB_together_stays_readable()
    {
        // 24 results of 200 KB are 4.8 MB: one entity holding them all could not cross the host-to-worker channel.
        var prefix = Trees.NewId("big-results");
        var tree = Trees.Tree(Trees.NewUser(), [.. Enumerable.Range(0, 24).Select(i => Server.Task($"r{i}", $"{prefix}/r{i}", padBytes: 200_000))]);
        var treeId = await Api.StartAsync(tree);

        var summary = await WaitForSummaryEndAsync(treeId);
        Assert.Equal("completed", summary.Status());

        var tree1 = await Api.GetAsync($"api/trees/{treeId}");
        Assert.True(tree1.Status == HttpStatusCode.OK, tree1.ToString());
        Assert.Equal(24, tree1.Body!.AsObject().Tasks().Count());

        var one = await Api.GetAsync($"api/trees/{treeId}/tasks/r7");
        Assert.True(one.Status == HttpStatusCode.OK, one.ToString());
        Assert.True(one.Body!["result"]!.ToJsonString().Length > 200_000, "the result kept apart is read back whole");

        // With results, a page ends once they pass 4 MiB, and the next pages have the rest.
        var page = await Api.GetAsync($"api/trees/{treeId}/tasks?limit=1000&include=results");
        Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
        var first = page.Body!["tasks"]!.AsArray().Count;
        Assert.InRange(first, 1, 23);
        var total = first;
        for (var next = page.Body!["links"]!["next"]?.GetValue<string>(); next is not null;)
        {
            var more = await Api.GetAsync(next.TrimStart('/'));
            Assert.True(more.Status == HttpStatusCode.OK, more.ToString());
            Assert.All(more.Body!["tasks"]!.AsArray(), t => Assert.True(t!["result"]!.ToJsonString().Length > 200_000));
            total += more.Body!["tasks"]!.AsArray().Count;
            next = more.Body!["links"]!["next"]?.GetValue<string>();
        }

        Assert.Equal(24, total);
    }
}
