using System.Text.Json;
using DurableFlow.Executors;

namespace DurableFlow.Testing;

internal static class ExecutorTestSupport
{
    public static TaskExecutionContext Context(
        string inputsJson = "{}",
        IReadOnlyDictionary<string, JsonElement>? dependencyResults = null,
        CancellationToken cancellationToken = default) =>
        new("tree-1", "task-1", 1, Json(inputsJson), dependencyResults ?? new Dictionary<string, JsonElement>(), cancellationToken);

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
