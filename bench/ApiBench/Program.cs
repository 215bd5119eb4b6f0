using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DurableFlow;
using DurableFlow.Api;
using DurableFlow.Bench;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using DurableFlow.Contracts;

// The function layer's submit path (POST /api/trees: read, parse, validate, hash, reserve in the index,
// start the orchestration, mark started, write the 202) and its status path (GET /api/trees/{id}: index
// read, status entity read, response built and serialized), through TreeApi as the HTTP triggers call it.
// The Durable client is a Moq mock; the tree index an in-memory fake. Median of 21 runs after 30 warm-ups.
const int Runs = 21;
const int WarmUps = 30; // enough calls for tiered JIT to promote the hot paths
const string Anonymous = "anonymous"; // CallerIdentity.AnonymousUser (internal): the owner of requests without a principal
var index = new InMemoryTreeIndex();
var api = new TreeApi(index, new ExecutorRegistry([new BenchExecutor()]), Options.Create(new TreeApiOptions()), TimeProvider.System, NullLogger<TreeApi>.Instance);
var states = new Dictionary<string, TreeStatusStateV1>(StringComparer.Ordinal);
var client = MockClient(states);

Console.WriteLine($"API benchmark: TreeApi with a mocked Durable client and an in-memory index, median of {Runs} runs, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine($"{"operation",-44} {"body KB",8} {"median ms",10} {"min ms",8}");
foreach (var n in new[] { 1_000, 5_000 })
{
    var body = SubmissionBody(n, seed: n);
    var (median, min) = Time(async () =>
    {
        var response = await ExecuteAsync(await api.SubmitAsync(Request("POST", body), client, CancellationToken.None));
        Expect(response.Status == StatusCodes.Status202Accepted, $"submit answered {response.Status}: {response.Body}");
        Mock.Get(client).Invocations.Clear(); // Moq keeps every call's arguments (whole trees): do not let them pile up
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{$"submit {n:N0} tasks (202)",-44} {body.Length / 1024.0,8:F0} {median,10:F1} {min,8:F1}"));

    // The two production steps inside it that are public: parsing and validation.
    var utf8 = Encoding.UTF8.GetBytes(body);
    TaskTree? tree = null;
    (median, min) = Time(() =>
    {
        tree = TreeJson.Parse(utf8).Tree;
        return Task.CompletedTask;
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"  of which TreeJson.Parse",-44} {"",8} {median,10:F1} {min,8:F1}"));
    var validation = new ValidationOptions(new ExecutorRegistry([new BenchExecutor()]).Names);
    (median, min) = Time(() =>
    {
        Expect(TreeValidator.Validate(tree! with { TreeId = "t" }, validation).Count == 0, "the tree is invalid");
        return Task.CompletedTask;
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"  of which TreeValidator.Validate",-44} {"",8} {median,10:F1} {min,8:F1}"));
    var hash = typeof(TreeApi).Assembly.GetType("DurableFlow.Api.SubmissionHash", throwOnError: true)!.GetMethod("Compute")!;
    (median, min) = Time(() =>
    {
        hash.Invoke(null, [tree]);
        return Task.CompletedTask;
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"  of which SubmissionHash.Compute (internal)",-44} {"",8} {median,10:F1} {min,8:F1}"));
}

{
    const int Tasks = 1_000;
    const string TreeId = "status-bench";
    states[TreeId] = StatusState(TreeId, Tasks);
    await index.TryAddAsync(new TreeIndexEntry(TreeId, Anonymous, DateTimeOffset.UtcNow, null, Tasks, TreeStatus.InProgress,
        new TaskCounts(0, 0, Tasks, 0, 0, 0), 1, "hash", TreeIndexState.Started));
    foreach (var view in new[] { "flat", "nested" })
    {
        var size = 0L;
        var (median, min) = Time(async () =>
        {
            var response = await ExecuteAsync(await api.GetTreeAsync(Request("GET", query: "?view=" + view), TreeId, client, CancellationToken.None));
            Expect(response.Status == StatusCodes.Status200OK, $"get answered {response.Status}: {response.Body}");
            size = response.Bytes;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{$"status of {Tasks:N0} tasks, view={view} (200)",-44} {size / 1024.0,8:F0} {median,10:F1} {min,8:F1}"));
    }
}

(double Median, double Min) Time(Func<Task> operation)
{
    var times = new List<double>();
    for (var run = 0; run < WarmUps + Runs; run++)
    {
        var sw = Stopwatch.StartNew();
        operation().GetAwaiter().GetResult();
        if (run >= WarmUps)
        {
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
    }

    times.Sort();
    return (times[times.Count / 2], times[0]);
}

static void Expect(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}

static DurableTaskClient MockClient(Dictionary<string, TreeStatusStateV1> states)
{
    var client = new Mock<DurableTaskClient>("bench");
    var entities = new Mock<DurableEntityClient>("bench");
    client.SetupGet(c => c.Entities).Returns(entities.Object);
    client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
        .Returns((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => Task.FromResult(options!.InstanceId!));
    client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
        .ReturnsAsync((OrchestrationMetadata?)null);
    entities.Setup(e => e.GetEntityAsync<TreeStatusStateV1>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
        .ReturnsAsync((EntityInstanceId id, bool _, CancellationToken _) =>
            states.TryGetValue(id.Key, out var state) ? new EntityMetadata<TreeStatusStateV1>(id, state) : null);
    return client.Object;
}

static HttpRequest Request(string method, string? body = null, string? query = null)
{
    var request = new DefaultHttpContext().Request;
    request.Method = method;
    if (query is not null)
    {
        request.QueryString = new QueryString(query);
    }

    if (body is not null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        request.Body = new MemoryStream(bytes);
        request.ContentLength = bytes.Length;
        request.ContentType = "application/json";
    }

    return request;
}

static async Task<(int Status, long Bytes, string Body)> ExecuteAsync(IActionResult result)
{
    var context = new DefaultHttpContext();
    using var body = new MemoryStream();
    context.Response.Body = body;
    await result.ExecuteResultAsync(new ActionContext { HttpContext = context });
    var status = context.Response.StatusCode;
    return (status, body.Length, status >= 400 ? Encoding.UTF8.GetString(body.ToArray()) : "");
}

// A random DAG as a client would send it: 0-4 dependencies from the previous 20 tasks (some optional),
// priorities 0-3, a parent for most tasks, small inputs; no tree_id, so every submission is a new tree.
static string SubmissionBody(int n, int seed)
{
    var random = new Random(seed);
    using var buffer = new MemoryStream();
    using (var json = new Utf8JsonWriter(buffer))
    {
        json.WriteStartObject();
        json.WriteNumber("max_parallelism", 0);
        json.WriteBoolean("use_demo", true);
        json.WriteStartArray("tasks");
        for (var i = 0; i < n; i++)
        {
            json.WriteStartObject();
            json.WriteString("id", $"task-{i}");
            json.WriteString("name", BenchExecutor.ExecutorName);
            json.WriteNumber("priority", random.Next(0, 4));
            if (i > 0 && random.Next(4) != 0)
            {
                json.WriteString("parent_id", $"task-{random.Next(Math.Max(0, i - 20), i)}");
            }

            json.WriteStartObject("inputs");
            json.WriteNumber("_demo_sleep", Math.Round(random.NextDouble() * 5, 1));
            json.WriteEndObject();
            json.WriteStartArray("dependencies");
            var count = Math.Min(i, random.Next(0, 5));
            var picked = new SortedSet<int>();
            while (picked.Count < count)
            {
                picked.Add(random.Next(Math.Max(0, i - 20), i));
            }

            foreach (var d in picked)
            {
                json.WriteStartObject();
                json.WriteString("id", $"task-{d}");
                json.WriteBoolean("required", random.Next(4) != 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    return Encoding.UTF8.GetString(buffer.ToArray());
}

// A status entity state mid-run: most tasks completed with a small result, some failed, running or pending.
static TreeStatusStateV1 StatusState(string treeId, int n)
{
    var random = new Random(7);
    var at = WireTime.Format(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    var tasks = new List<TaskRecordV1>(n);
    for (var i = 0; i < n; i++)
    {
        var roll = random.Next(10);
        var status = roll < 7 ? TaskRunStatus.Completed : roll == 7 ? TaskRunStatus.Failed : roll == 8 ? TaskRunStatus.InProgress : TaskRunStatus.Pending;
        tasks.Add(new TaskRecordV1
        {
            Id = $"task-{i}",
            Name = BenchExecutor.ExecutorName,
            ParentId = i > 0 && random.Next(4) != 0 ? $"task-{random.Next(Math.Max(0, i - 20), i)}" : null,
            Priority = random.Next(0, 4),
            Dependencies = i == 0 ? [] : [new TaskDependencyV1($"task-{random.Next(Math.Max(0, i - 20), i)}")],
            Inputs = JsonSerializer.SerializeToElement(new Dictionary<string, double> { ["_demo_sleep"] = 1.5 }),
            Status = status,
            Result = status == TaskRunStatus.Completed ? JsonSerializer.SerializeToElement(new { demo = true, task = $"task-{i}", cpu_percent = 12.5, hostname = "worker-1" }) : null,
            Error = status == TaskRunStatus.Failed ? "boom: the executor failed" : null,
            Progress = status is TaskRunStatus.Completed or TaskRunStatus.Failed ? 1 : 0,
            Attempts = status == TaskRunStatus.Pending ? 0 : 1,
            CreatedAt = at,
            StartedAt = status == TaskRunStatus.Pending ? null : at,
            CompletedAt = status is TaskRunStatus.Completed or TaskRunStatus.Failed ? at : null,
        });
    }

    return new TreeStatusStateV1 { TreeId = treeId, UserId = Anonymous, Run = 1, Status = TreeStatus.InProgress, CreatedAt = at, StartedAt = at, Tasks = tasks };
}

/// <summary>The one executor the submissions name (the API only checks the name and inputs).</summary>
internal sealed class BenchExecutor : ITaskExecutor
{
    public const string ExecutorName = "system_info_executor";

    public string Name => ExecutorName;

    public string Description => "Benchmark stand-in.";

    public IReadOnlyList<ExecutorInput> Inputs => [];

    public Task<JsonElement> ExecuteAsync(TaskExecutionContext context) => Task.FromResult(DemoResult(context));

    public JsonElement DemoResult(TaskExecutionContext context) => JsonSerializer.SerializeToElement(new { demo = true });
}
