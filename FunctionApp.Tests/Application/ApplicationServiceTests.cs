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
        var service = new TreeCancellation(new TreeAccess(Index(Entry(TreeStatus.InProgress)).Object));

        var result = await service.CancelAsync("t1", "alice", runs.Object, CancellationToken.None);

        Assert.Equal(202, result.StatusCode);
        runs.Verify(r => r.RequestCancelAsync("t1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Another_users_tree_is_not_found_and_nothing_is_cancelled()
    {
        var runs = new Mock<ITreeRuns>(MockBehavior.Strict);
        var service = new TreeCancellation(new TreeAccess(Index(Entry(TreeStatus.InProgress)).Object));

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

        var result = await new TreeRerun(index.Object, TimeProvider.System).RerunAsync(Entry(TreeStatus.Failed), RerunRequest.Default, runs.Object, CancellationToken.None);

        Assert.Equal(409, result.StatusCode);
        Assert.Equal(ApiErrorCodes.TreeRunning, ((ErrorEnvelope)result.Body!).Error.Code);
        runs.Verify(r => r.StartAsync(It.IsAny<TreeRunInputV1>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
