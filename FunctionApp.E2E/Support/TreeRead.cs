using System.Globalization;

namespace DurableFlow.E2E.Support;

/// <summary>Reads what the tree read answers: task records, statuses, timestamps.</summary>
public static class TreeRead
{
    public static JsonObject Task(this JsonObject tree, string id)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return tree["tasks"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!.AsObject();
    }

    public static IEnumerable<JsonObject> Tasks(this JsonObject tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return tree["tasks"]!.AsArray().Select(t => t!.AsObject());
    }

    public static string Status(this JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node["status"]!.GetValue<string>();
    }

    public static DateTimeOffset Time(this JsonObject node, string field)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = node[field]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"{node["id"]} has no {field}: {node.ToJsonString()}");
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>Every task started no earlier than each of its dependencies ended: dependencies decided when.</summary>
    public static void AssertDependencyOrder(JsonObject tree)
    {
        foreach (var task in tree.Tasks().Where(t => t["started_at"] is not null))
        {
            foreach (var dependency in task["dependencies"]!.AsArray())
            {
                var upstream = tree.Task(dependency!["id"]!.GetValue<string>());
                Assert.True(
                    task.Time("started_at") >= upstream.Time("completed_at"),
                    $"{task["id"]} started at {task["started_at"]}, before its dependency {upstream["id"]} ended at {upstream["completed_at"]}");
            }
        }
    }
}
