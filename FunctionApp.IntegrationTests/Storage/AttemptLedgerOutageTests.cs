using System.Net;
using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using DurableFlow.Contracts;
using DurableFlow.Executors;
using DurableFlow.Orchestration;
using DurableFlow.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableFlow.Tests.Storage;

/// <summary>
/// Table Storage down while tasks run: the task still runs (at least once, with a warning), and nothing
/// about the outage is remembered — the next call tries the ledger (and creates its table) again.
/// </summary>
public sealed class AttemptLedgerOutageTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    /// <summary>A transport that fails every request like an unreachable host while <see cref="Down"/>.</summary>
    private sealed class SwitchableNetwork : DelegatingHandler
    {
        public SwitchableNetwork() : base(new HttpClientHandler()) { }

        public volatile bool Down = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Down ? throw new HttpRequestException("Connection refused (simulated outage)", null, HttpStatusCode.ServiceUnavailable) : base.SendAsync(request, cancellationToken);
    }

    private static TableServiceClient Service(string connectionString, HttpMessageHandler handler)
    {
        var options = new TableClientOptions { Transport = new HttpClientTransport(handler) };
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        return new TableServiceClient(connectionString, options);
    }

    private static (TaskRunner Runner, Func<int> Executions) Worker(IAttemptLedger ledger, ILogger<TaskRunner>? logger = null)
    {
        var count = 0;
        var executor = new Mock<ITaskExecutor> { CallBase = true }; // CallBase: the interface's defaults (side effects: yes)
        executor.SetupGet(e => e.Name).Returns("counting_executor");
        executor.Setup(e => e.ExecuteAsync(It.IsAny<TaskExecutionContext>()))
            .ReturnsAsync(() => JsonSerializer.SerializeToElement(Interlocked.Increment(ref count)));
        var runner = new TaskRunner(new ExecutorRegistry([executor.Object]), Options.Create(new TaskRunnerOptions()),
            logger ?? NullLogger<TaskRunner>.Instance, null, ledger);
        return (runner, () => Volatile.Read(ref count));
    }

    private static TaskRunRequestV1 Request(int attempt = 1) =>
        new("tree-1", "task-a", "counting_executor", attempt, 1, false, null, new Dictionary<string, JsonElement>());

    [Fact]
    public async Task With_table_storage_unreachable_the_task_runs_and_the_outage_is_logged_as_a_warning()
    {
        using var network = new SwitchableNetwork();
        var log = new FakeLogger<TableAttemptLedger>();
        var ledger = new TableAttemptLedger(Service(storage.ConnectionString, network), log, "a" + Guid.NewGuid().ToString("N"));
        var (runner, executions) = Worker(ledger);

        var outcome = await runner.RunAsync(Request(), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(1, executions());
        Assert.Contains(log.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("tree-1/task-a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_an_outage_the_ledger_creates_its_table_and_deduplicates_again()
    {
        using var network = new SwitchableNetwork();
        var ledger = new TableAttemptLedger(Service(storage.ConnectionString, network), NullLogger<TableAttemptLedger>.Instance, "a" + Guid.NewGuid().ToString("N"));
        var key = new AttemptKey("tree-1", 1, "task-a", 1);
        Assert.Null(await ledger.FindAsync(key, CancellationToken.None));

        network.Down = false;
        var recorded = await ledger.RecordAsync(key, TaskRunResultV1.Failure("first"), CancellationToken.None);

        Assert.Equal("first", recorded.Error);
        Assert.Equal("first", (await ledger.FindAsync(key, CancellationToken.None))?.Error);
    }

    [Fact]
    public async Task A_ledger_that_throws_does_not_fail_the_task()
    {
        var ledger = new Mock<IAttemptLedger>();
        ledger.Setup(l => l.FindAsync(It.IsAny<AttemptKey>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AggregateException("Retry failed after 4 tries", new HttpRequestException("refused")));
        ledger.Setup(l => l.RecordAsync(It.IsAny<AttemptKey>(), It.IsAny<TaskRunResultV1>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AggregateException("Retry failed after 4 tries", new HttpRequestException("refused")));
        var log = new FakeLogger<TaskRunner>();
        var (runner, executions) = Worker(ledger.Object, log);

        var outcome = await runner.RunAsync(Request(), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(1, executions());
        Assert.Equal(2, log.Collector.GetSnapshot().Count(r => r.Level == LogLevel.Warning));
    }

    [Fact]
    public async Task An_attempt_that_ended_in_an_exception_is_not_remembered_so_a_redelivery_runs_it()
    {
        var ledger = new Mock<IAttemptLedger>();
        ledger.SetupSequence(l => l.FindAsync(It.IsAny<AttemptKey>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException())
            .ReturnsAsync((TaskRunResultV1?)null);
        ledger.Setup(l => l.RecordAsync(It.IsAny<AttemptKey>(), It.IsAny<TaskRunResultV1>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AttemptKey _, TaskRunResultV1 r, CancellationToken _) => r);
        var (runner, executions) = Worker(ledger.Object);
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(Request(), shutdown.Token));
        var redelivered = await runner.RunAsync(Request(), CancellationToken.None);

        Assert.True(redelivered.Succeeded, redelivered.Error);
        Assert.Equal(1, executions());
    }
}
