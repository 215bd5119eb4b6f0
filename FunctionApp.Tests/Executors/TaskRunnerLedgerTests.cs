using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Executors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableFlow.Tests.Executors;

/// <summary>When the runner asks the attempt ledger: only for attempts whose repetition could be seen.</summary>
public class TaskRunnerLedgerTests
{
    private static TaskRunRequestV1 Request(string executor, bool demo = false) =>
        new("tree-1", "a", executor, 1, 1, demo, null, new Dictionary<string, JsonElement>());

    private static (TaskRunner Runner, Mock<IAttemptLedger> Ledger) Runner()
    {
        var acting = new Mock<ITaskExecutor> { CallBase = true };
        acting.SetupGet(e => e.Name).Returns("acting_executor");
        acting.Setup(e => e.ExecuteAsync(It.IsAny<TaskExecutionContext>())).ReturnsAsync(JsonDocument.Parse("1").RootElement);
        acting.Setup(e => e.DemoResult(It.IsAny<TaskExecutionContext>())).Returns(JsonDocument.Parse("2").RootElement);
        var ledger = new Mock<IAttemptLedger>();
        ledger.Setup(l => l.RecordAsync(It.IsAny<AttemptKey>(), It.IsAny<TaskRunResultV1>(), It.IsAny<CancellationToken>()))
            .Returns<AttemptKey, TaskRunResultV1, CancellationToken>((_, outcome, _) => Task.FromResult(outcome));
        var registry = new ExecutorRegistry([acting.Object, new SystemInfoExecutor(), new AggregateResultsExecutor()]);
        return (new TaskRunner(registry, Options.Create(new TaskRunnerOptions()), NullLogger<TaskRunner>.Instance, null, ledger.Object), ledger);
    }

    [Fact]
    public async Task An_executor_with_side_effects_is_deduplicated_through_the_ledger()
    {
        var (runner, ledger) = Runner();

        Assert.True((await runner.RunAsync(Request("acting_executor"), CancellationToken.None)).Succeeded);

        ledger.Verify(l => l.FindAsync(It.IsAny<AttemptKey>(), It.IsAny<CancellationToken>()), Times.Once);
        ledger.Verify(l => l.RecordAsync(It.IsAny<AttemptKey>(), It.IsAny<TaskRunResultV1>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(SystemInfoExecutor.ExecutorName, false)]
    [InlineData(AggregateResultsExecutor.ExecutorName, false)]
    [InlineData("acting_executor", true)]
    public async Task Read_only_executors_and_demo_mode_run_without_ledger_round_trips(string executor, bool demo)
    {
        var (runner, ledger) = Runner();

        var outcome = await runner.RunAsync(Request(executor, demo), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Empty(ledger.Invocations);
    }
}
