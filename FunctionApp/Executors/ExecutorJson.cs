using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableFlow.Executors;

/// <summary>Small helpers the built-in executors share to produce their JSON results.</summary>
internal static class ExecutorJson
{
    /// <summary>
    /// Turns a built result into a <see cref="JsonElement"/> that owns its memory (no document to
    /// dispose), since results outlive the executor call.
    /// </summary>
    public static JsonElement ToElement(JsonNode? node) =>
        JsonSerializer.SerializeToElement(node, JsonSerializerOptions.Default);

    /// <summary>Milliseconds as a whole number, the unit every executor reports durations in.</summary>
    public static long Milliseconds(TimeSpan elapsed) => (long)Math.Round(elapsed.TotalMilliseconds);
}
