using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DurableFlow;
using DurableFlow.Bench;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using DurableFlow.Contracts;

// The six seed graphs end to end on the in-process Durable Task engine: the production orchestrator,
// task activity and TaskRunner, with trivial executors (no sleep, demo mode off). Wall time from
// scheduling the instance to its completion; median of 3 runs after one warm-up run of every graph.
const int Runs = 3;

// The host's sidecar logs every gRPC request at Information; keep the output to the table.
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
var signals = new SignalCounter();
var registry = new ExecutorRegistry([new TrivialExecutor("work_executor", fail: false), new TrivialExecutor("fail_executor", fail: true)]);
var runner = new TaskRunner(registry, Options.Create(new TaskRunnerOptions()), NullLogger<TaskRunner>.Instance);
var functions = new TreeFunctions(runner, new NoRecorder());
await using var host = await DurableTaskTestHost.StartAsync(tasks =>
{
    tasks.AddOrchestratorFunc<TreeRunInputV1, TreeRunOutcomeV1>(TreeOrchestration.Name,
        (context, _) => TreeFunctions.RunTreeAsync(new DurableFlow.Testing.EntityStandInContext(context, (id, _, _) => signals.Add(id.Key))));
    tasks.AddActivityFunc<TaskRunRequestV1, TaskRunResultV1>(TreeOrchestration.RunTaskActivity,
        (_, request) => functions.RunTaskAsync(request, CancellationToken.None));
    tasks.AddActivityFunc<TreeRunOutcomeV1>(TreeOrchestration.RecordOutcomeActivity,
        (_, outcome) => functions.RecordTreeOutcomeAsync(outcome, CancellationToken.None));
}, new DurableTaskTestHostOptions { LoggerFactory = NullLoggerFactory.Instance });

var graphs = new (string Name, TaskTree Tree, TreeStatus Expected)[]
{
    ("sequential", Tree(W("fetch", 1), W("process", 2, "fetch"), W("save", 3, "process")), TreeStatus.Completed),
    ("pipeline", Tree(W("extract", 1), W("transform", 1, "extract"), W("validate", 1, "transform"), W("load", 1, "validate"), W("report", 1, "load")), TreeStatus.Completed),
    ("fan-in", Tree(W("cpu", 1), W("memory", 1), W("disk", 1), W("aggregate", 2, "cpu", "memory", "disk")), TreeStatus.Completed),
    ("optional fallback", Tree(new TaskDefinition("primary", "fail_executor"), Opt("fallback", 2, "primary"), Opt("final", 3, "primary", "fallback")), TreeStatus.Completed),
    ("complex workflow", Tree(W("fetch1", 1), W("fetch2", 1), W("process1", 2, "fetch1"), W("process2", 2, "fetch2"), W("final", 3, "process1", "process2")), TreeStatus.Completed),
    ("deps vs priorities", Tree(W("task1", 2), W("task2", 0, "task1")), TreeStatus.Completed),
};

var options = new ValidationOptions(registry.Names);
foreach (var (name, tree, _) in graphs)
{
    if (TreeValidator.Validate(tree, options) is { Count: > 0 } errors)
    {
        throw new InvalidOperationException($"{name}: {errors[0].Message}");
    }
}

Console.WriteLine($"in-process engine: seed graphs, trivial executors, demo mode off, median of {Runs} runs after a warm-up, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
foreach (var (_, tree, expected) in graphs)
{
    await RunAsync(tree, expected); // warm-up
}

Console.WriteLine($"{"graph",-20} {"tasks",5} {"signals",8} {"median ms",10} {"min ms",8} {"max ms",8}");
foreach (var (name, tree, expected) in graphs)
{
    var times = new List<double>();
    var sent = 0;
    for (var run = 0; run < Runs; run++)
    {
        var (ms, signalCount) = await RunAsync(tree, expected);
        times.Add(ms);
        sent = signalCount;
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-20} {tree.Tasks.Count,5} {sent,8} {times[times.Count / 2],10:F0} {times[0],8:F0} {times[^1],8:F0}"));
}

async Task<(double Ms, int Signals)> RunAsync(TaskTree tree, TreeStatus expected)
{
    var treeId = Guid.NewGuid().ToString("N");
    var sw = Stopwatch.StartNew();
    await host.Client.ScheduleNewOrchestrationInstanceAsync(TreeOrchestration.Name,
        new TreeRunInputV1(treeId, "bench", (tree with { TreeId = treeId }).ToWire(), DateTime.UtcNow), new StartOrchestrationOptions(treeId));
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
    var metadata = await host.Client.WaitForInstanceCompletionAsync(treeId, getInputsAndOutputs: true, timeout.Token);
    var ms = sw.Elapsed.TotalMilliseconds;
    var outcome = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? metadata.ReadOutputAs<TreeRunOutcomeV1>() : null;
    if (outcome?.Status != expected)
    {
        throw new InvalidOperationException($"tree {treeId} ended {metadata.RuntimeStatus} / {outcome?.Status}: {metadata.FailureDetails?.ErrorMessage}");
    }

    return (ms, signals.Of(treeId));
}

static TaskDefinition W(string id, int priority, params string[] dependencies) =>
    new(id, "work_executor", Priority: priority, Dependencies: dependencies.Select(d => new TaskDependency(d)).ToArray());

static TaskDefinition Opt(string id, int priority, params string[] dependencies) =>
    new(id, "work_executor", Priority: priority, Dependencies: dependencies.Select(d => new TaskDependency(d, Required: false)).ToArray());

static TaskTree Tree(params TaskDefinition[] tasks) => new(null, "bench", 0, false, tasks);

/// <summary>An executor that returns at once (or fails at once).</summary>
internal sealed class TrivialExecutor(string name, bool fail) : ITaskExecutor
{
    public string Name => name;

    public string Description => "Benchmark executor: no work.";

    public IReadOnlyList<ExecutorInput> Inputs => [];

    public Task<JsonElement> ExecuteAsync(TaskExecutionContext context) => fail
        ? throw new InvalidOperationException($"{context.TaskId} failed")
        : Task.FromResult(JsonSerializer.SerializeToElement(new { task = context.TaskId }));

    public JsonElement DemoResult(TaskExecutionContext context) => JsonSerializer.SerializeToElement(new { demo = true });
}

/// <summary>The outcome activity runs, but records nowhere.</summary>
internal sealed class NoRecorder : ITreeOutcomeRecorder
{
    public Task RecordAsync(TreeRunOutcomeV1 outcome, CancellationToken cancellationToken) => Task.CompletedTask;
}
