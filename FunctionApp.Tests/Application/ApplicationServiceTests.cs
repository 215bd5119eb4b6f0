using DurableFlow.Api;
using DurableFlow.Application;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Storage;
using Moq;

namespace DurableFlow.Tests.Application;

/// <summary>The application services alone: a mocked index and tree runs, no HTTP request and no Durable client.</summary>
public class ApplicationServiceTests
{
    private static TreeIndexEntry Entry(TreeStatus status, int run = 1) =>
        new("t1", "alice", DateTimeOffset.UnixEpoch, null, 1, status, new TaskCounts(1, 0, 0, 0, 0, 0), run, "hash", TreeIndexState.Started);

    private static TreeReconciliation Reconciliation(Mock<ITreeIndex> index) =>
        new(index.Object, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<TreeReconciliation>.Instance);

    private static TreeRerun Rerun(Mock<ITreeIndex> index) =>
        new(index.Object, Microsoft.Extensions.Options.Options.Create(new DurableFlow.Executors.TaskRunnerOptions()), TimeProvider.System, Reconciliation(index));

    private static TreeCancellation Cancellation(Mock<ITreeIndex> index) => new(new TreeAccess(index.Object), Reconciliation(index));

    private static TaskTree OneTaskTree => new("t1", "alice", 0, false, [new TaskDefinition("a", "x"), new TaskDefinition("b", "x")]);

    /// <summary>The records of a run still in progress: a completed, b in progress.</summary>
    private static TreeStatusStateV1 RunningState() => new()
    {
        TreeId = "t1", UserId = "alice", Run = 1, Status = TreeStatus.InProgress,
        Tasks = [new TaskRecordV1 { Id = "a", Status = TaskRunStatus.Completed }, new TaskRecordV1 { Id = "b", Status = TaskRunStatus.InProgress }],
        Runs = [new RunSummaryV1 { Run = 1, Status = TreeStatus.InProgress }],
    };

    /// <summary>An instance that failed (a non-determinism failure, say) under records that say it runs.</summary>
    private static Mock<ITreeRuns> FailedUnderRunningRecords(string failure = "the orchestration failed: NonDeterministicOrchestrationException: boom")
    {
        var runs = new Mock<ITreeRuns>();
        var instance = new TreeInstance(true, new TreeRunInputV1("t1", "alice", OneTaskTree.ToWire(), DateTime.UnixEpoch), failure);
        runs.Setup(r => r.GetAsync("t1", It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(instance);
        runs.Setup(r => r.ReadStatusAsync("t1", It.IsAny<CancellationToken>())).ReturnsAsync(RunningState);
        return runs;
    }

    private static Mock<ITreeIndex> Index(TreeIndexEntry entry)
    {
        var index = new Mock<ITreeIndex>();
        index.Setup(i => i.GetAsync("t1", It.IsAny<CancellationToken>())).ReturnsAsync(entry);
        return index;
    }

    [Fact]
    public async Task Cancelling_a_running_tree_raises_the_cancel_event_once()
    {
        var runs = new Mock<ITreeRuns>();
        runs.Setup(r => r.GetAsync("t1", false, It.IsAny<CancellationToken>())).ReturnsAsync(new TreeInstance(false, null));
        var service = Cancellation(Index(Entry(TreeStatus.InProgress)));

        var result = await service.CancelAsync("t1", "alice", runs.Object, CancellationToken.None);

        Assert.Equal(202, result.StatusCode);
        runs.Verify(r => r.RequestCancelAsync("t1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Another_users_tree_is_not_found_and_nothing_is_cancelled()
    {
        var runs = new Mock<ITreeRuns>(MockBehavior.Strict);
        var service = Cancellation(Index(Entry(TreeStatus.InProgress)));

        var result = await service.CancelAsync("t1", "mallory", runs.Object, CancellationToken.None);

        Assert.Equal(404, result.StatusCode);
    }

    [Fact]
    public async Task A_rerun_that_loses_the_compare_and_set_starts_nothing()
    {
        var tree = new TaskTree("t1", "alice", 0, false, [new TaskDefinition("a", "x")]);
        var state = new TreeStatusStateV1 { Run = 1, Status = TreeStatus.Failed, Tasks = [new TaskRecordV1 { Id = "a", Status = TaskRunStatus.Failed }] };
        var runs = new Mock<ITreeRuns>();
        runs.Setup(r => r.GetAsync("t1", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TreeInstance(true, new TreeRunInputV1("t1", "alice", tree.ToWire(), DateTime.UnixEpoch)));
        runs.Setup(r => r.ReadStatusAsync("t1", It.IsAny<CancellationToken>())).ReturnsAsync(state);
        var index = Index(Entry(TreeStatus.Failed));
        index.Setup(i => i.TryBeginRunAsync("t1", 1, It.IsAny<TaskCounts>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var result = await Rerun(index).RerunAsync(Entry(TreeStatus.Failed), RerunRequest.Default, runs.Object, CancellationToken.None);

        Assert.Equal(409, result.StatusCode);
        Assert.Equal(ApiErrorCodes.TreeRunning, ((ErrorEnvelope)result.Body!).Error.Code);
        runs.Verify(r => r.StartAsync(It.IsAny<TreeRunInputV1>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_read_of_a_tree_whose_orchestration_failed_under_running_records_shows_it_failed_and_records_it()
    {
        var index = Index(Entry(TreeStatus.InProgress));
        index.Setup(i => i.RecordOutcomeAsync(It.IsAny<TreeOutcomeUpdate>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var runs = FailedUnderRunningRecords();
        var reader = new TreeReader(index.Object, new TreeAccess(index.Object), Reconciliation(index));

        var result = await reader.GetTreeAsync("t1", null, TreeReadView.Flat, withResults: true, runs.Object, CancellationToken.None);

        var tree = Assert.IsType<TreeView>(result.Body);
        Assert.Equal(("failed", "the orchestration failed: NonDeterministicOrchestrationException: boom"), (tree.Status, tree.Error));
        Assert.Equal(["completed", "failed"], tree.Tasks!.Select(t => t.Status));
        index.Verify(i => i.RecordOutcomeAsync(It.Is<TreeOutcomeUpdate>(u => u.Status == TreeStatus.Failed && u.Run == 1 && u.Error == tree.Error
            && u.Counts == new TaskCounts(0, 0, 1, 1, 0, 0)), It.IsAny<CancellationToken>()), Times.Once);
        runs.Verify(r => r.SignalStatusAsync("t1", It.Is<StatusUpdateV1>(u => u.TreeStatus == TreeStatus.Failed && u.Error == tree.Error), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Cancel_of_a_tree_whose_orchestration_failed_is_not_cancellable()
    {
        var index = Index(Entry(TreeStatus.InProgress));
        index.Setup(i => i.RecordOutcomeAsync(It.IsAny<TreeOutcomeUpdate>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var runs = FailedUnderRunningRecords();

        var result = await Cancellation(index).CancelAsync("t1", "alice", runs.Object, CancellationToken.None);

        Assert.Equal((409, ApiErrorCodes.NotCancellable), (result.StatusCode, ((ErrorEnvelope)result.Body!).Error.Code));
        Assert.Contains("failed", ((ErrorEnvelope)result.Body!).Error.Message, StringComparison.Ordinal);
        runs.Verify(r => r.RequestCancelAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_tree_whose_orchestration_failed_under_running_records_can_be_rerun()
    {
        var index = Index(Entry(TreeStatus.InProgress));
        index.Setup(i => i.RecordOutcomeAsync(It.IsAny<TreeOutcomeUpdate>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        index.Setup(i => i.TryBeginRunAsync("t1", 1, It.IsAny<TaskCounts>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var runs = FailedUnderRunningRecords();

        var result = await Rerun(index).RerunAsync(Entry(TreeStatus.InProgress), RerunRequest.Default, runs.Object, CancellationToken.None);

        Assert.Equal(202, result.StatusCode);
        Assert.Equal(["b"], Assert.IsType<RerunResponse>(result.Body).Rerun);
        runs.Verify(r => r.StartAsync(It.Is<TreeRunInputV1>(i => i.Run == 2 && i.MaxDependencyResultsBytes == DurableFlow.Executors.TaskRunnerOptions.DefaultMaxDependencyResultsBytes), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Terminate_ends_a_running_tree_and_records_it_failed_with_the_reason()
    {
        var index = Index(Entry(TreeStatus.InProgress));
        index.Setup(i => i.RecordOutcomeAsync(It.IsAny<TreeOutcomeUpdate>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var runs = new Mock<ITreeRuns>();
        runs.Setup(r => r.GetAsync("t1", It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TreeInstance(false, new TreeRunInputV1("t1", "alice", OneTaskTree.ToWire(), DateTime.UnixEpoch)));
        runs.Setup(r => r.ReadStatusAsync("t1", It.IsAny<CancellationToken>())).ReturnsAsync(RunningState);
        var service = new TreeTermination(new TreeAccess(index.Object), Reconciliation(index), index.Object, TimeProvider.System);

        var result = await service.TerminateAsync("t1", "alice", "stuck executor", runs.Object, CancellationToken.None);

        Assert.Equal(202, result.StatusCode);
        Assert.Equal(("failed", "terminated: stuck executor"), (Assert.IsType<TerminateResponse>(result.Body).Status, ((TerminateResponse)result.Body!).Error));
        runs.Verify(r => r.TerminateAsync("t1", "terminated: stuck executor", It.IsAny<CancellationToken>()), Times.Once);
        runs.Verify(r => r.SignalStatusAsync("t1", It.Is<StatusUpdateV1>(u => u.Error == "terminated: stuck executor" && u.TreeStatus == TreeStatus.Failed), It.IsAny<CancellationToken>()), Times.Once);
        index.Verify(i => i.RecordOutcomeAsync(It.Is<TreeOutcomeUpdate>(u => u.Error == "terminated: stuck executor" && u.Counts == new TaskCounts(0, 0, 1, 1, 0, 0)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Terminate_of_an_ended_tree_is_not_cancellable_and_of_another_users_tree_not_found()
    {
        var index = Index(Entry(TreeStatus.Completed));
        var runs = new Mock<ITreeRuns>();
        runs.Setup(r => r.GetAsync("t1", It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(new TreeInstance(true, null));
        var service = new TreeTermination(new TreeAccess(index.Object), Reconciliation(index), index.Object, TimeProvider.System);

        Assert.Equal(409, (await service.TerminateAsync("t1", "alice", null, runs.Object, CancellationToken.None)).StatusCode);
        Assert.Equal(404, (await service.TerminateAsync("t1", "mallory", null, runs.Object, CancellationToken.None)).StatusCode);
        runs.Verify(r => r.TerminateAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
