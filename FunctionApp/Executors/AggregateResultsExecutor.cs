using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableFlow.Executors;

/// <summary>
/// <c>aggregate_results_executor</c>: returns its dependencies' results as one object,
/// <c>{ dependency_id: result }</c> (ids in ordinal order, so the result is deterministic). Takes no inputs.
/// </summary>
public sealed class AggregateResultsExecutor : ITaskExecutor
{
    public const string ExecutorName = "aggregate_results_executor";

    /// <summary>Reads only; a re-delivered attempt may run it again.</summary>
    bool ITaskExecutor.HasSideEffects => false;

    public string Name => ExecutorName;

    public string Description => "Collects the results of the task's completed dependencies into one object keyed by dependency id.";

    public IReadOnlyList<ExecutorInput> Inputs { get; } = [];

    public Task<JsonElement> ExecuteAsync(TaskExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(Aggregate(context));
    }

    /// <summary>The same as the real result: it does no I/O, so there is nothing to pretend.</summary>
    public JsonElement DemoResult(TaskExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Aggregate(context);
    }

    private JsonElement Aggregate(TaskExecutionContext context)
    {
        _ = new TaskInputs(context.Inputs, Inputs);
        var result = new JsonObject();
        foreach (var (id, value) in context.DependencyResults.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[id] = value.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(value.GetRawText());
        }

        return ExecutorJson.ToElement(result);
    }
}
