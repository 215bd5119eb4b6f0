using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace DurableFlow.Bench.RealHost;

/// <summary>
/// The shapes as DurableFlow trees of no-op tasks (demo mode: the executor returns its demo result at
/// once), submitted through the API. The end is read from the tree list (the index row), which costs the
/// same whatever the tree's size, so polling does not weigh on what is measured.
/// </summary>
public sealed class DurableFlowRunner(HttpClient client)
{
    private string? _lastFanOut;
    private int? _lastFanOutSize;

    public async Task WarmUpAsync()
    {
        await TimeAsync(Tree("fanout", 50));
        await TimeAsync(Tree("chain", 10));
    }

    public async Task RunAsync(string shape, int round, BenchResults results)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(results);
        switch (shape)
        {
            case "p1":
            {
                var (tree, criticalPath) = Shapes.TimedDag(NewUser());
                var (elapsed, _) = await TimeAsync(tree);
                results.Add("P1: 60-task timed DAG ÷ critical path", "durableflow", round, elapsed.TotalSeconds / criticalPath, "×");
                break;
            }

            case "reads":
                await ReadsAsync(round, results);
                break;

            default:
            {
                var (kind, count) = Shapes.Parse(shape);
                var (elapsed, treeId) = await TimeAsync(Tree(kind, count));
                if (kind == "chain")
                {
                    results.Add($"{shape} (per hop)", "durableflow", round, elapsed.TotalMilliseconds / count, "ms");
                }
                else
                {
                    results.Add(shape, "durableflow", round, elapsed.TotalSeconds, "s");
                    if (count >= 1000)
                    {
                        (_lastFanOut, _lastFanOutSize) = (treeId, count);
                    }
                }

                break;
            }
        }
    }

    /// <summary>
    /// Reads of the last fan-out (1,000 tasks unless a bigger one ran): the summary (no tasks), a page of 100
    /// tasks, one task, and the default tree read (its first 1,000 tasks, no results). 40 of each, sequential.
    /// </summary>
    private async Task ReadsAsync(int round, BenchResults results)
    {
        var treeId = _lastFanOut ?? (await TimeAsync(Tree("fanout", 1000))).TreeId;
        var size = _lastFanOutSize ?? 1000;
        var label = size.ToString("N0", CultureInfo.InvariantCulture);
        var summary = new List<double>();
        var page = new List<double>();
        var task = new List<double>();
        var tree = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            summary.Add(await TimeReadAsync($"api/trees/{treeId}?view=summary"));
            page.Add(await TimeReadAsync($"api/trees/{treeId}/tasks?limit=100"));
            task.Add(await TimeReadAsync($"api/trees/{treeId}/tasks/t{i * 17 % size}"));
            tree.Add(await TimeReadAsync($"api/trees/{treeId}"));
        }

        foreach (var (name, values) in new[] { ("tree summary", summary), ("page of 100 tasks", page), ("one task", task), ("tree read (first 1,000 tasks)", tree) })
        {
            results.Add($"read {name} ({label}) p50", "durableflow", round, Percentile(values, 0.50), "ms");
            results.Add($"read {name} ({label}) p95", "durableflow", round, Percentile(values, 0.95), "ms");
        }
    }

    private async Task<double> TimeReadAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        await response.Content.ReadAsByteArrayAsync();
        response.EnsureSuccessStatusCode();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }

    private async Task<(TimeSpan Elapsed, string TreeId)> TimeAsync(JsonObject tree)
    {
        var user = tree["user_id"]!.GetValue<string>();
        var clock = Stopwatch.StartNew();
        var treeId = (await client.PostJsonAsync("api/trees", tree))["tree_id"]!.GetValue<string>();
        await Polling.UntilEndedAsync(async () =>
        {
            var list = await client.GetJsonAsync($"api/trees?user_id={user}&limit=1");
            return list["trees"]!.AsArray().FirstOrDefault()?["status"]?.GetValue<string>();
        }, "completed", TimeSpan.FromHours(1));
        return (clock.Elapsed, treeId);
    }

    private static string NewUser() => "bench-" + Guid.NewGuid().ToString("N")[..12];

    private static JsonObject Tree(string kind, int count)
    {
        var tasks = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var task = new JsonObject
            {
                ["id"] = string.Create(CultureInfo.InvariantCulture, $"t{i}"),
                ["name"] = "system_info_executor",
                ["inputs"] = new JsonObject { ["resource"] = "cpu" },
            };
            if (kind == "chain" && i > 0)
            {
                task["dependencies"] = new JsonArray(string.Create(CultureInfo.InvariantCulture, $"t{i - 1}"));
            }

            tasks.Add(task);
        }

        return new JsonObject { ["user_id"] = NewUser(), ["use_demo"] = true, ["tasks"] = tasks };
    }
}
