using System.Collections.Concurrent;
using System.Text.Json;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Orchestration;

/// <summary>
/// The production orchestrator and activities on a real Durable Task engine in-process. The only
/// test-side pieces: executors that record what they did, the recording stand-in for entities, and an
/// in-memory outcome recorder.
/// </summary>
public class InProcessEngine : IAsyncLifetime
{
    private DurableTaskTestHost? _host;

    public InProcessEngine()
    {
    }

    /// <summary>An engine whose finished runs are recorded by <paramref name="recorder"/> too.</summary>
    protected InProcessEngine(ITreeOutcomeRecorder recorder) => _extraRecorder = recorder;

    private readonly ITreeOutcomeRecorder? _extraRecorder;

    internal StatusEntities Entities { get; } = new();

    internal RecordingExecutors Executors { get; } = new();

    public ConcurrentBag<TreeRunOutcomeV1> Outcomes { get; } = [];

    internal TaskRunner Runner { get; private set; } = null!;

    public DurableTaskClient Client => _host!.Client;

    public virtual async Task InitializeAsync()
    {
        Runner = new TaskRunner(new ExecutorRegistry(Executors.All), Options.Create(new TaskRunnerOptions()), NullLogger<TaskRunner>.Instance);
        var functions = new TreeFunctions(Runner, new Recorder(Outcomes, _extraRecorder));
        _host = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<TreeRunInputV1, TreeRunOutcomeV1>(TreeOrchestration.Name,
                (context, _) => TreeFunctions.RunTreeAsync(Entities.Wrap(context)));
            registry.AddActivityFunc<TaskRunRequestV1, TaskRunResultV1>(TreeOrchestration.RunTaskActivity,
                (_, request) => functions.RunTaskAsync(request, CancellationToken.None));
            registry.AddActivityFunc<TreeRunOutcomeV1>(TreeOrchestration.RecordOutcomeActivity,
                (_, outcome) => functions.RecordTreeOutcomeAsync(outcome, CancellationToken.None));
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="tree"/> to the end and returns its outcome and status records.</summary>
    internal Task<(TreeRunOutcomeV1 Outcome, TreeStatusStateV1 Status)> RunAsync(TaskTree tree, Func<string, Task>? whileRunning = null) =>
        RunAsync(new TreeRunInputV1(tree.TreeId ?? Guid.NewGuid().ToString("N"), "tester", tree.ToWire(), DateTime.UtcNow), whileRunning);

    /// <summary>Runs one run of a tree (a first run or a rerun) to the end.</summary>
    internal async Task<(TreeRunOutcomeV1 Outcome, TreeStatusStateV1 Status)> RunAsync(TreeRunInputV1 input, Func<string, Task>? whileRunning = null)
    {
        var treeId = input.TreeId;
        Assert.Empty(TreeValidator.Validate(input.Tree.ToDomain(), new ValidationOptions(new ExecutorRegistry(Executors.All).Names)));
        await Client.ScheduleNewOrchestrationInstanceAsync(TreeOrchestration.Name, input, new StartOrchestrationOptions(treeId));
        if (whileRunning is not null)
        {
            await whileRunning(treeId);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metadata = await Client.WaitForInstanceCompletionAsync(treeId, getInputsAndOutputs: true, timeout.Token);
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"orchestration ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        var outcome = metadata.ReadOutputAs<TreeRunOutcomeV1>()!;
        return (outcome, Entities.Get(treeId)!);
    }

    private sealed class Recorder(ConcurrentBag<TreeRunOutcomeV1> outcomes, ITreeOutcomeRecorder? next) : ITreeOutcomeRecorder
    {
        public Task RecordAsync(TreeRunOutcomeV1 outcome, CancellationToken cancellationToken)
        {
            outcomes.Add(outcome);
            return next?.RecordAsync(outcome, cancellationToken) ?? Task.CompletedTask;
        }
    }
}

/// <summary>
/// Test executors that record when each task started and ended. Inputs: <c>ms</c> (work time),
/// <c>fail_until_attempt</c> (fail attempts before it), <c>fail</c> (always fail), <c>result_bytes</c>
/// (return a result of about that size).
/// </summary>
internal sealed class RecordingExecutors
{
    public ConcurrentQueue<(string TreeId, string TaskId, int Attempt, DateTime Start)> Starts { get; } = new();

    /// <summary>Executions per "tree/task" over every run.</summary>
    public ConcurrentDictionary<string, int> Executions { get; } = new();

    public IReadOnlyList<ITaskExecutor> All => [new Work(this, "work_executor"), new Work(this, "system_info_executor")];

    public List<string> StartOrder(string treeId) => Starts.Where(s => s.TreeId == treeId).OrderBy(s => s.Start).Select(s => s.TaskId).ToList();

    private sealed class Work(RecordingExecutors owner, string name) : ITaskExecutor
    {
        public string Name => name;

        public string Description => "test work";

        public IReadOnlyList<ExecutorInput> Inputs => [];

        public async Task<JsonElement> ExecuteAsync(TaskExecutionContext context)
        {
            owner.Starts.Enqueue((context.TreeId, context.TaskId, context.Attempt, DateTime.UtcNow));
            var inputs = context.Inputs;
            if (inputs.TryGetProperty("ms", out var ms))
            {
                await Task.Delay(ms.GetInt32(), context.CancellationToken);
            }

            var key = $"{context.TreeId}/{context.TaskId}";
            var executions = owner.Executions.AddOrUpdate(key, 1, (_, n) => n + 1);
            if ((inputs.TryGetProperty("fail_first_time", out _) && executions == 1) ||
                inputs.TryGetProperty("fail", out _) ||
                (inputs.TryGetProperty("fail_until_attempt", out var until) && context.Attempt < until.GetInt32()))
            {
                throw new InvalidOperationException($"{context.TaskId} failed on attempt {context.Attempt}");
            }

            if (inputs.TryGetProperty("result_bytes", out var size))
            {
                return JsonSerializer.SerializeToElement(new { pad = new string('x', size.GetInt32()) });
            }

            return JsonSerializer.SerializeToElement(new { task = context.TaskId, attempt = context.Attempt, saw = context.DependencyResults.Keys.Order().ToArray() });
        }

        public JsonElement DemoResult(TaskExecutionContext context) => JsonSerializer.SerializeToElement(new { demo = true, task = context.TaskId });
    }
}
