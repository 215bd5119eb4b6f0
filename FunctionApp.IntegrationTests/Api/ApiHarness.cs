using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using DurableFlow.Api;
using DurableFlow.Executors;
using DurableFlow.Orchestration;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Api;

/// <summary>A settable clock.</summary>
internal sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>An API response as a client sees it.</summary>
internal sealed record ApiResponse(int Status, IHeaderDictionary Headers, JsonElement Body)
{
    public string ErrorCode => Body.GetProperty("error").GetProperty("code").GetString()!;

    public JsonElement Details => Body.GetProperty("error").GetProperty("details");
}

/// <summary>
/// <see cref="TreeApi"/> over a given tree index, with a mocked Durable client that remembers started
/// instances and serves status entity states the test sets.
/// </summary>
internal sealed class ApiHarness
{
    public const string Executor = "echo_executor";

    private readonly ConcurrentDictionary<string, TreeRunInputV1> _started = new();
    private readonly ConcurrentDictionary<string, TreeStatusStateV1> _states = new();
    private int _scheduleCalls;

    public ApiHarness(ITreeIndex index, TreeApiOptions? options = null, TestClock? clock = null)
    {
        Index = index;
        Clock = clock ?? new TestClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var executor = new Mock<ITaskExecutor>();
        executor.SetupGet(e => e.Name).Returns(Executor);
        executor.SetupGet(e => e.Description).Returns("Echoes its inputs.");
        executor.SetupGet(e => e.Inputs).Returns([new ExecutorInput("text", "string", false, "What to echo.", "\"\"")]);
        Api = TreeApi.Create(index, new ExecutorRegistry([executor.Object]), Options.Create(options ?? new TreeApiOptions()), Clock, NullLoggerFactory.Instance);

        Client = new Mock<DurableTaskClient>("test");
        Entities = new Mock<DurableEntityClient>("test");
        Client.SetupGet(c => c.Entities).Returns(Entities.Object);
        Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns(async (TaskName _, object? input, StartOrchestrationOptions? options, CancellationToken _) =>
            {
                Interlocked.Increment(ref _scheduleCalls);
                await Task.Yield();
                if (ScheduleFailure is { } failure)
                {
                    throw failure;
                }

                var id = options!.InstanceId!;
                // As Durable: an instance id may be reused once its orchestration has ended.
                var ended = InstanceStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
                if (!_started.TryAdd(id, (TreeRunInputV1)input!) && !(ended && Replace(id, (TreeRunInputV1)input!)))
                {
                    throw new InvalidOperationException($"an orchestration with instance id '{id}' already exists");
                }

                return id;
            });
        Client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, bool inputs, CancellationToken _) => _started.TryGetValue(id, out var input) ? Metadata(id, input, inputs) : null);
        Client.Setup(c => c.WaitForInstanceCompletionAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns(async (string id, bool inputs, CancellationToken _) =>
            {
                if (OnWaitForCompletion is { } finish)
                {
                    await finish();
                }

                return _started.TryGetValue(id, out var input) ? Metadata(id, input, inputs) : null!;
            });
        Client.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);
        Entities.Setup(e => e.GetEntityAsync<TreeStatusStateV1>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EntityInstanceId id, bool _, CancellationToken _) =>
                _states.TryGetValue(id.Key, out var state) ? new EntityMetadata<TreeStatusStateV1>(id, state) : null);
        // Trees submitted with the sharded layout read their records from shard entities: each shard is the part
        // of the state the test set whose task ids hash to it, as the orchestrator would have sent them.
        Entities.Setup(e => e.GetEntityAsync<TaskShardStateV1>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EntityInstanceId id, bool _, CancellationToken _) =>
            {
                var bar = id.Key.LastIndexOf('|');
                var treeId = id.Key[..bar];
                var shard = int.Parse(id.Key[(bar + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                if (!_states.TryGetValue(treeId, out var state) || !_started.TryGetValue(treeId, out var input) || input.Layout is not { } layout)
                {
                    return null;
                }

                for (var i = 0; i < state.Tasks.Count; i++)
                {
                    state.Tasks[i].Index ??= i; // the orchestrator gives each record its position
                }

                var records = state.Tasks.Where(t => TaskShards.Of(t.Id, layout.Shards) == shard).ToList();
                return new EntityMetadata<TaskShardStateV1>(id, new TaskShardStateV1 { TreeId = treeId, Run = state.Run, Tasks = records });
            });
    }

    public TreeApi Api { get; }

    public ITreeIndex Index { get; }

    public TestClock Clock { get; }

    public Mock<DurableTaskClient> Client { get; }

    public Mock<DurableEntityClient> Entities { get; }

    /// <summary>When set, scheduling an orchestration throws this.</summary>
    public Exception? ScheduleFailure { get; set; }

    /// <summary>Runtime status reported for started instances.</summary>
    public OrchestrationRuntimeStatus InstanceStatus { get; set; } = OrchestrationRuntimeStatus.Running;

    /// <summary>Runs when the API waits for an instance to complete (what the orchestration does meanwhile).</summary>
    public Func<Task>? OnWaitForCompletion { get; set; }

    public int ScheduleCalls => Volatile.Read(ref _scheduleCalls);

    public IReadOnlyDictionary<string, TreeRunInputV1> Started => _started;

    public void SetState(string treeId, TreeStatusStateV1 state) => _states[treeId] = state;

    public void ForgetInstance(string treeId) => _started.TryRemove(treeId, out _);

    public Task<ApiResponse> RerunAsync(string treeId, string? body = null, IDictionary<string, string>? headers = null) =>
        RunAsync(Api.RerunAsync(Request("POST", body, body is null ? null : "application/json", headers: headers), treeId, Client.Object, CancellationToken.None));

    private readonly Lock _replace = new();

    /// <summary>Replaces an ended instance; of two racing replacements only the first wins, as in Durable.</summary>
    private bool Replace(string id, TreeRunInputV1 input)
    {
        lock (_replace)
        {
            var current = _started[id];
            if (current.Run >= input.Run)
            {
                return false;
            }

            _started[id] = input;
            return true;
        }
    }

    private OrchestrationMetadata Metadata(string id, TreeRunInputV1 input, bool withInputs) =>
        new(TreeOrchestration.Name, id)
        {
            RuntimeStatus = InstanceStatus,
            SerializedInput = withInputs ? JsonDataConverter.Default.Serialize(input) : null,
            DataConverter = withInputs ? JsonDataConverter.Default : null,
        };

    // ---- requests ----

    public static HttpRequest Request(
        string method, string? body = null, string? contentType = "application/json", string? query = null,
        IDictionary<string, string>? headers = null, bool sendLength = true, Stream? bodyStream = null)
    {
        var context = new DefaultHttpContext { RequestServices = AuthenticatedPlatform };
        var request = context.Request;
        request.Method = method;
        if (query is not null)
        {
            request.QueryString = new QueryString(query.StartsWith('?') ? query : "?" + query);
        }

        if (bodyStream is not null)
        {
            request.Body = bodyStream;
        }
        else if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.Body = new MemoryStream(bytes);
            if (sendLength)
            {
                request.ContentLength = bytes.Length;
            }
        }

        if (contentType is not null)
        {
            request.ContentType = contentType;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return request;
    }

    /// <summary>
    /// The API tests stand for a deployment with App Service Authentication on, so principal headers count
    /// (CallerIdentityTests cover the deployment without it).
    /// </summary>
    public static readonly IServiceProvider AuthenticatedPlatform =
        new ServiceCollection().AddSingleton(new PrincipalTrust(headersTrusted: true)).BuildServiceProvider();

    public static Dictionary<string, string> As(string userId) => new() { [CallerIdentity.PrincipalIdHeader] = userId };

    public Task<ApiResponse> SubmitAsync(string body, IDictionary<string, string>? headers = null, string contentType = "application/json") =>
        RunAsync(Api.SubmitAsync(Request("POST", body, contentType, headers: headers), Client.Object, CancellationToken.None));

    public Task<ApiResponse> GetTreeAsync(string treeId, string? query = null, IDictionary<string, string>? headers = null) =>
        RunAsync(Api.GetTreeAsync(Request("GET", contentType: null, query: query, headers: headers), treeId, Client.Object, CancellationToken.None));

    public Task<ApiResponse> GetTaskAsync(string treeId, string taskId, IDictionary<string, string>? headers = null) =>
        RunAsync(Api.GetTaskAsync(Request("GET", contentType: null, headers: headers), treeId, taskId, Client.Object, CancellationToken.None));

    public Task<ApiResponse> ListAsync(string? query = null, IDictionary<string, string>? headers = null) =>
        RunAsync(Api.ListAsync(Request("GET", contentType: null, query: query, headers: headers), CancellationToken.None));

    public Task<ApiResponse> CancelAsync(string treeId, IDictionary<string, string>? headers = null) =>
        RunAsync(Api.CancelAsync(Request("POST", contentType: null, headers: headers), treeId, Client.Object, CancellationToken.None));

    /// <summary>Runs the action result on a bare HTTP context and reads what a client would get.</summary>
    public static async Task<ApiResponse> RunAsync(Task<IActionResult> pending, HttpContext? context = null)
    {
        var result = await pending;
        context ??= new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext { HttpContext = context });
        var json = body.Length == 0 ? default : JsonDocument.Parse(body.ToArray()).RootElement.Clone();
        if (body.Length > 0)
        {
            Assert.StartsWith("application/json", context.Response.ContentType);
        }

        return new ApiResponse(context.Response.StatusCode, context.Response.Headers, json);
    }

    public static string Tree(string? treeId, string? userId = null, string tasks = DefaultTasks) =>
        "{" + (treeId is null ? "" : $"\"tree_id\":\"{treeId}\",") + (userId is null ? "" : $"\"user_id\":\"{userId}\",") + $"\"tasks\":{tasks}}}";

    public const string DefaultTasks =
        "[{\"id\":\"a\",\"name\":\"echo_executor\",\"inputs\":{\"text\":\"hi\",\"n\":1}}," +
        "{\"id\":\"b\",\"name\":\"echo_executor\",\"parent_id\":\"a\",\"dependencies\":[{\"id\":\"a\",\"required\":true}]}," +
        "{\"id\":\"c\",\"name\":\"echo_executor\",\"parent_id\":\"b\",\"priority\":0,\"dependencies\":[\"b\"]}]";
}
