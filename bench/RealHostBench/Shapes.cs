using System.Globalization;
using System.Text.Json.Nodes;

namespace DurableFlow.Bench.RealHost;

/// <summary>The measured shapes: <c>fanout:N</c>, <c>chain:N</c>, and the 60-task timed DAG of P1.</summary>
public static class Shapes
{
    public static (string Kind, int Count) Parse(string shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var parts = shape.Split(':');
        return parts.Length == 2 && parts[0] is "fanout" or "chain" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? (parts[0], n)
            : throw new ArgumentException($"unknown shape '{shape}': fanout:N, chain:N, p1 or reads");
    }

    /// <summary>
    /// P1: 60 tasks in 6 layers of 10, each depending on 1–3 tasks of the layer before, each sleeping
    /// 1–3 s (demo mode); seeded, so every run submits the same DAG. Returns the tree and its critical path.
    /// </summary>
    public static (JsonObject Tree, double CriticalPathSeconds) TimedDag(string userId)
    {
        var random = new Random(20261202);
        var tasks = new JsonArray();
        var finish = new Dictionary<string, double>();
        for (var layer = 0; layer < 6; layer++)
        {
            for (var i = 0; i < 10; i++)
            {
                var id = $"l{layer}t{i}";
                var seconds = random.Next(1, 4);
                var dependencies = new JsonArray();
                var start = 0.0;
                if (layer > 0)
                {
                    foreach (var upstream in Enumerable.Range(0, 10).OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
                    {
                        var upstreamId = $"l{layer - 1}t{upstream}";
                        dependencies.Add(upstreamId);
                        start = Math.Max(start, finish[upstreamId]);
                    }
                }

                finish[id] = start + seconds;
                tasks.Add(new JsonObject
                {
                    ["id"] = id,
                    ["name"] = "system_info_executor",
                    ["inputs"] = new JsonObject { ["resource"] = "cpu", ["_demo_sleep"] = seconds },
                    ["dependencies"] = dependencies,
                });
            }
        }

        var tree = new JsonObject { ["user_id"] = userId, ["use_demo"] = true, ["tasks"] = tasks };
        return (tree, finish.Values.Max());
    }
}
