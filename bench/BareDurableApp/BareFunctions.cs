using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableFlow.Bench.Bare;

/// <summary>
/// No-op work as one plain orchestration: <c>POST /api/bench/fanout/{n}</c> (n activities at once, then
/// <c>Task.WhenAll</c>) or <c>POST /api/bench/chain/{n}</c> (n activities one after another);
/// <c>GET /api/bench/{id}</c> answers <c>{"status"}</c> with Durable's runtime status; <c>GET /api/health</c> says the worker is up.
/// </summary>
public static class BareFunctions
{
    [Function("FanOut")]
    public static async Task<int> FanOutAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.GetInput<int>();
        var calls = new Task<string>[count];
        for (var i = 0; i < count; i++)
        {
            calls[i] = context.CallActivityAsync<string>(nameof(Noop), i);
        }

        await Task.WhenAll(calls);
        return count;
    }

    [Function("Chain")]
    public static async Task<int> ChainAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.GetInput<int>();
        for (var i = 0; i < count; i++)
        {
            await context.CallActivityAsync<string>(nameof(Noop), i);
        }

        return count;
    }

    [Function(nameof(Noop))]
    public static string Noop([ActivityTrigger] int index) => $"noop {index}";

    /// <summary>What the host script waits for before it reports the host ready (as DurableFlow's own health route).</summary>
    [Function("Health")]
    public static IActionResult Health(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "health")] HttpRequest request) => new OkObjectResult(new { status = "healthy" });

    [Function("StartBench")]
    public static async Task<IActionResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "bench/{shape}/{count:int}")] HttpRequest request,
        string shape, int count, [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var orchestrator = shape switch { "fanout" => "FanOut", "chain" => "Chain", _ => null };
        if (orchestrator is null)
        {
            return new BadRequestObjectResult(new { error = new { code = "invalid_request", message = "shape is fanout or chain", details = Array.Empty<object>() } });
        }

        var id = await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, count, request?.HttpContext.RequestAborted ?? default);
        return new AcceptedResult((string?)null, new { id });
    }

    [Function("BenchStatus")]
    public static async Task<IActionResult> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "bench/{id}")] HttpRequest request,
        string id, [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, request?.HttpContext.RequestAborted ?? default);
        return instance is null
            ? new NotFoundObjectResult(new { error = new { code = "not_found", message = $"no instance '{id}'", details = Array.Empty<object>() } })
            : new OkObjectResult(new { status = instance.RuntimeStatus.ToString() });
    }
}
