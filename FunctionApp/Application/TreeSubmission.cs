using DurableFlow.Api;
using DurableFlow.Contracts;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableFlow.Application;

/// <summary>
/// Submitting a tree: validate, reserve the tree id in the index, start the orchestration, confirm (or
/// undo the reservation). An identical repeat answers 200 and, once the reservation is stale, starts what
/// a crashed first request left unstarted.
/// </summary>
public sealed partial class TreeSubmission
{
    private readonly ITreeIndex _index;
    private readonly TreeApiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TreeSubmission> _logger;
    private readonly ValidationOptions _validation;
    private readonly long _maxDependencyResultsBytes;
    private readonly int? _fanOutBlockSize;

    public TreeSubmission(ITreeIndex index, ExecutorRegistry executors, IOptions<TreeApiOptions> options, IOptions<TaskRunnerOptions> tasks, TimeProvider time, ILogger<TreeSubmission> logger)
    {
        ArgumentNullException.ThrowIfNull(executors);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tasks);
        _maxDependencyResultsBytes = tasks.Value.MaxDependencyResultsBytes;
        _fanOutBlockSize = tasks.Value.FanOutBlockSize > 0 ? tasks.Value.FanOutBlockSize : null;
        _index = index;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _validation = new ValidationOptions(executors.Names, _options.MaxTasks, _options.MaxDependenciesPerTask);
    }

    /// <summary>Submits the tree in <paramref name="body"/> for <paramref name="principal"/> (null: no
    /// authenticated caller, the body's <c>user_id</c> or anonymous owns it).</summary>
    public async Task<ApiResult> SubmitAsync(ReadOnlyMemory<byte> body, string? principal, ITreeRuns runs, CancellationToken cancellationToken)
    {
        var parsed = TreeJson.Parse(body);
        if (!parsed.Succeeded)
        {
            return ApiResult.Validation(parsed.Errors);
        }

        var tree = parsed.Tree!;
        var treeId = tree.TreeId ?? Guid.NewGuid().ToString("N");
        tree = tree with { TreeId = treeId };
        var errors = TreeValidator.Validate(tree, _validation);
        if (errors.Count > 0)
        {
            return ApiResult.Validation(errors);
        }

        if (principal is not null && tree.UserId is not null && !string.Equals(principal, tree.UserId, StringComparison.Ordinal))
        {
            return ApiResult.Error(StatusCodes.Status403Forbidden, ApiErrorCodes.ForbiddenUser,
                "user_id differs from the authenticated user: leave it out, or send your own id",
                [new ErrorDetail(ApiErrorCodes.ForbiddenUser, "user_id differs from the authenticated user", "$.user_id")]);
        }

        var userId = principal ?? tree.UserId ?? CallerIdentity.AnonymousUser;
        tree = tree with { UserId = userId };
        var hash = SubmissionHash.Compute(tree);
        var now = _time.GetUtcNow();
        var taskCount = tree.Tasks.Count;
        var layout = new StatusLayoutV1(TaskShards.CountFor(taskCount), TaskShards.DefaultInlineResultBytes);
        var entry = new TreeIndexEntry(treeId, userId, now, null, taskCount, TreeStatus.Pending,
            new TaskCounts(taskCount, 0, 0, 0, 0, 0), 1, hash, TreeIndexState.Reserved, Shards: layout.Shards);

        var added = await _index.TryAddAsync(entry, cancellationToken);
        if (added.Added)
        {
            // From here on the reservation must be resolved either way: no caller cancellation.
            await StartAsync(runs, new TreeRunInputV1(treeId, userId, tree.ToWire(), now.UtcDateTime, MaxDependencyResultsBytes: _maxDependencyResultsBytes, Layout: layout, FanOutBlockSize: _fanOutBlockSize), undoOnFailure: true);
            return new ApiResult(StatusCodes.Status202Accepted,
                new SubmitResponse(treeId, TreeStatus.Pending.ToWire(), taskCount, TreeLinks.For(treeId)), TreeLinks.PathOf(treeId));
        }

        var existing = added.Entry;
        if (!string.Equals(existing.RequestHash, hash, StringComparison.Ordinal) || !string.Equals(existing.UserId, userId, StringComparison.Ordinal))
        {
            return ApiResult.Error(StatusCodes.Status409Conflict, ApiErrorCodes.TreeExists,
                $"a different tree with tree_id '{treeId}' already exists: choose another tree_id, or resend the identical body");
        }

        if (existing.State == TreeIndexState.Reserved && now - existing.CreatedAt > _options.ReservationGracePeriod)
        {
            // The request that reserved the id never confirmed the start (it crashed or lost its answer).
            // The layout the reservation recorded (none: a row from before the sharded layout).
            var kept = existing.Shards is { } shards ? layout with { Shards = shards } : null;
            await StartAsync(runs, new TreeRunInputV1(treeId, userId, tree.ToWire(), existing.CreatedAt.UtcDateTime, MaxDependencyResultsBytes: _maxDependencyResultsBytes, Layout: kept, FanOutBlockSize: kept is null ? null : _fanOutBlockSize), undoOnFailure: false);
        }

        return new ApiResult(StatusCodes.Status200OK,
            new SubmitResponse(treeId, existing.Status.ToWire(), existing.TaskCount, TreeLinks.For(treeId)), TreeLinks.PathOf(treeId));
    }

    /// <summary>Starts the orchestration of a reserved tree unless it exists, then marks the tree started.
    /// When the start fails and no instance exists, <paramref name="undoOnFailure"/> deletes the reservation.</summary>
    private async Task StartAsync(ITreeRuns runs, TreeRunInputV1 input, bool undoOnFailure)
    {
        var treeId = input.TreeId;
        try
        {
            if (undoOnFailure || await runs.GetAsync(treeId, withInput: false, CancellationToken.None) is null)
            {
                await runs.StartAsync(input, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            // A start that threw may still have happened (a lost answer, or a racing retry started it).
            TreeInstance? instance = null;
            try
            {
                instance = await runs.GetAsync(treeId, withInput: false, CancellationToken.None);
            }
            catch (Exception probe) when (probe is not OutOfMemoryException)
            {
                LogStartProbeFailed(_logger, treeId, probe);
            }

            if (instance is null)
            {
                LogStartFailed(_logger, treeId, ex);
                if (undoOnFailure)
                {
                    await _index.DeleteAsync(treeId, CancellationToken.None);
                }

                throw;
            }
        }

        await _index.MarkStartedAsync(treeId, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting the orchestration of tree {TreeId} failed")]
    private static partial void LogStartFailed(ILogger logger, string treeId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check whether tree {TreeId} started after a failed start")]
    private static partial void LogStartProbeFailed(ILogger logger, string treeId, Exception exception);
}
