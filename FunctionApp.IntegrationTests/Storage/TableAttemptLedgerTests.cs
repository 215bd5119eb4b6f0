using System.Text.Json;
using DurableFlow.Executors;
using DurableFlow.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Storage;

/// <summary>The attempt ledger on Azurite: a re-delivered attempt runs once, whichever worker gets it.</summary>
public sealed class TableAttemptLedgerTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    private TableAttemptLedger Ledger() => new(storage.Service ?? throw new InvalidOperationException("run ./test.sh"), NullLogger<TableAttemptLedger>.Instance, "a" + Guid.NewGuid().ToString("N"));

    private static (TaskRunner Runner, Func<int> Executions) Worker(IAttemptLedger ledger, Func<int, JsonElement> work)
    {
        var count = 0;
        var executor = new Mock<ITaskExecutor> { CallBase = true }; // CallBase: the interface's defaults (side effects: yes)
        executor.SetupGet(e => e.Name).Returns("counting_executor");
        executor.Setup(e => e.ExecuteAsync(It.IsAny<TaskExecutionContext>()))
            .ReturnsAsync(() => work(Interlocked.Increment(ref count)));
        var runner = new TaskRunner(new ExecutorRegistry([executor.Object]), Options.Create(new TaskRunnerOptions()), NullLogger<TaskRunner>.Instance, null, ledger);
        return (runner, () => Volatile.Read(ref count));
    }

    private static TaskRunRequestV1 Request(int attempt = 1, int run = 1) =>
        new("tree-1", "task-a", "counting_executor", attempt, run, false, null, new Dictionary<string, JsonElement>());

    [Fact]
    public async Task A_redelivered_attempt_on_another_worker_returns_the_recorded_outcome_without_running()
    {
        var ledger = Ledger();
        var (first, firstRuns) = Worker(ledger, n => JsonSerializer.SerializeToElement(new { n }));
        var (second, secondRuns) = Worker(ledger, n => JsonSerializer.SerializeToElement(new { n = n + 100 }));

        var original = await first.RunAsync(Request(), CancellationToken.None);
        var redelivered = await second.RunAsync(Request(), CancellationToken.None);

        Assert.Equal((1, 0), (firstRuns(), secondRuns()));
        Assert.True(redelivered.Succeeded);
        Assert.Equal(1, redelivered.Result!.Value.GetProperty("n").GetInt32());
        Assert.Equal(original.Result!.Value.GetRawText(), redelivered.Result!.Value.GetRawText());
    }

    [Fact]
    public async Task Another_attempt_or_run_is_a_new_execution()
    {
        var ledger = Ledger();
        var (worker, runs) = Worker(ledger, n => JsonSerializer.SerializeToElement(n));
        await worker.RunAsync(Request(attempt: 1), CancellationToken.None);
        await worker.RunAsync(Request(attempt: 2), CancellationToken.None);
        await worker.RunAsync(Request(attempt: 1, run: 2), CancellationToken.None);
        Assert.Equal(3, runs());
    }

    [Fact]
    public async Task The_first_recorded_outcome_wins_a_race()
    {
        var ledger = Ledger();
        var key = new AttemptKey("tree-1", 1, "task-a", 1);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            ledger.RecordAsync(key, TaskRunResultV1.Failure($"outcome {i}"), CancellationToken.None)));
        Assert.Single(results.Select(r => r.Error).Distinct());
        Assert.Equal(results[0].Error, (await ledger.FindAsync(key, CancellationToken.None))!.Error);
    }

    [Fact]
    public async Task Failures_are_recorded_too_and_oversized_outcomes_are_not_kept()
    {
        var ledger = Ledger();
        var failed = new AttemptKey("tree-1", 1, "bad", 1);
        await ledger.RecordAsync(failed, TaskRunResultV1.Failure("boom"), CancellationToken.None);
        Assert.Equal("boom", (await ledger.FindAsync(failed, CancellationToken.None))!.Error);

        var big = new AttemptKey("tree-1", 1, "big", 1);
        var huge = TaskRunResultV1.Success(JsonSerializer.SerializeToElement(new string('x', TableAttemptLedger.MaxOutcomeChars)));
        Assert.Same(huge, await ledger.RecordAsync(big, huge, CancellationToken.None));
        Assert.Null(await ledger.FindAsync(big, CancellationToken.None));
    }
}
