using DurableFlow.Api;
using DurableFlow.Executors;
using DurableFlow.Storage;
using DurableFlow.Tests.Orchestration;
using DurableFlow.Tests.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using DurableFlow.Contracts;
using DurableFlow.Graph;

namespace DurableFlow.Tests.Api;

/// <summary>
/// Submit → run → read back, through the production API, the real Table index on Azurite, and the
/// production orchestrator and activities on the in-process Durable engine. The engine has no entities,
/// so the client's entity reads come from the same recording stand-in the orchestrator signals.
/// </summary>
public sealed class EndToEndTests(EndToEndTests.Engine engine) : IClassFixture<EndToEndTests.Engine>
{
    /// <summary>The in-process engine, recording finished runs in the Azurite-backed index.</summary>
    public sealed class Engine() : InProcessEngine(new TreeIndexOutcomeRecorder(Storage.CreateIndex()))
    {
        internal static readonly TableStorageFixture Storage = new();

        public TableTreeIndex Index { get; } = Storage.CreateIndex();

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Storage.DisposeAsync();
        }
    }

    private TreeApi Api() => TreeApi.Create(engine.Index, new ExecutorRegistry(engine.Executors.All), Options.Create(new TreeApiOptions()), TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>The engine's real client, with entity reads served by the stand-in.</summary>
    private DurableTaskClient Client()
    {
        var real = engine.Client;
        var client = new Mock<DurableTaskClient>("e2e");
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns((TaskName name, object? input, StartOrchestrationOptions? options, CancellationToken ct) => real.ScheduleNewOrchestrationInstanceAsync(name, input, options, ct));
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns((string id, bool inputs, CancellationToken ct) => real.GetInstanceAsync(id, inputs, ct));
        client.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Returns((string id, string name, object? payload, CancellationToken ct) => real.RaiseEventAsync(id, name, payload, ct));
        var entities = new Mock<DurableEntityClient>("e2e");
        entities.Setup(e => e.GetEntityAsync<TreeStatusStateV1>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EntityInstanceId id, bool _, CancellationToken _) =>
                engine.Entities.Get(id.Key) is { } state ? new EntityMetadata<TreeStatusStateV1>(id, state) : null);
        entities.Setup(e => e.GetEntityAsync<TaskShardStateV1>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EntityInstanceId id, bool _, CancellationToken _) =>
                engine.Entities.GetState(id) is TaskShardStateV1 state ? new EntityMetadata<TaskShardStateV1>(id, state) : null);
        entities.Setup(e => e.GetEntityAsync<TaskResultV1>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((EntityInstanceId id, bool _, CancellationToken _) =>
                engine.Entities.GetState(id) is TaskResultV1 state ? new EntityMetadata<TaskResultV1>(id, state) : null);
        client.SetupGet(c => c.Entities).Returns(entities.Object);
        return client.Object;
    }

    [Fact]
    public async Task Submit_run_and_read_back_the_fallback_tree()
    {
        var api = Api();
        var client = Client();
        var treeId = $"e2e-{Guid.NewGuid():N}";
        var body = $$$"""
            {"tree_id": "{{{treeId}}}", "user_id": "alice", "tasks": [
              {"id": "primary", "name": "work_executor", "inputs": {"fail": true}},
              {"id": "fallback", "name": "work_executor", "priority": 2, "dependencies": [{"id": "primary", "required": false}]},
              {"id": "final", "name": "work_executor", "priority": 3, "dependencies": [{"id": "primary", "required": false}, "fallback"]}]}
            """;
        var submitted = await ApiHarness.RunAsync(api.SubmitAsync(ApiHarness.Request("POST", body), client, CancellationToken.None));
        Assert.Equal(202, submitted.Status);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await engine.Client.WaitForInstanceCompletionAsync(treeId, getInputsAndOutputs: false, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

        var read = await ApiHarness.RunAsync(api.GetTreeAsync(ApiHarness.Request("GET", contentType: null, query: "include=results"), treeId, client, CancellationToken.None));
        Assert.Equal(200, read.Status);
        Assert.Equal(("completed", 1.0), (read.Body.GetProperty("status").GetString(), read.Body.GetProperty("progress").GetDouble()));
        var tasks = read.Body.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
        Assert.Equal("failed", tasks["primary"].GetProperty("status").GetString());
        Assert.Equal("primary failed on attempt 1", tasks["primary"].GetProperty("error").GetString());
        Assert.Equal("completed", tasks["final"].GetProperty("status").GetString());
        Assert.Equal(["fallback"], tasks["final"].GetProperty("result").GetProperty("saw").EnumerateArray().Select(e => e.GetString()));

        // The finishing activity recorded the outcome in the index, which the list shows.
        var row = await engine.Index.GetAsync(treeId);
        Assert.Equal(TreeStatus.Completed, row!.Status);
        var list = await ApiHarness.RunAsync(api.ListAsync(ApiHarness.Request("GET", contentType: null, query: "?user_id=alice"), CancellationToken.None));
        var listed = Assert.Single(list.Body.GetProperty("trees").EnumerateArray(), t => t.GetProperty("tree_id").GetString() == treeId);
        Assert.Equal("completed", listed.GetProperty("status").GetString());

        // Rerun: only the task that did not complete runs again; completed ones keep their results.
        var rerun = await ApiHarness.RunAsync(api.RerunAsync(ApiHarness.Request("POST", contentType: null), treeId, client, CancellationToken.None));
        Assert.Equal(202, rerun.Status);
        Assert.Equal(["primary"], rerun.Body.GetProperty("rerun").EnumerateArray().Select(e => e.GetString()));
        await Task.Delay(200); // let the new run start before waiting on the instance id
        await engine.Client.WaitForInstanceCompletionAsync(treeId, getInputsAndOutputs: false, timeout.Token);
        var again = await ApiHarness.RunAsync(api.GetTreeAsync(ApiHarness.Request("GET", contentType: null), treeId, client, CancellationToken.None));
        Assert.Equal((2, "completed"), (again.Body.GetProperty("run").GetInt32(), again.Body.GetProperty("status").GetString()));
        Assert.Equal(2, again.Body.GetProperty("runs").GetArrayLength());
        Assert.Equal((2, 1, 1), (engine.Executors.Executions[$"{treeId}/primary"], engine.Executors.Executions[$"{treeId}/fallback"], engine.Executors.Executions[$"{treeId}/final"]));
        Assert.Equal(2, (await engine.Index.GetAsync(treeId))!.Run);
    }
}
