using System.Globalization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>
/// The logic of the HTTP API, one method per route; the Functions triggers in
/// <see cref="TreeApiFunctions"/> only call in. Status comes from the tree's status entity (one read),
/// ownership and listing from the tree index. Bad input is always a 4xx with
/// <c>{"error": {"code", "message", "details"}}</c>; server faults are 500/503 with the same shape.
/// </summary>
public sealed partial class TreeApi
{
    /// <summary>Route prefix of every API path.</summary>
    public const string RoutePrefix = "/api";

    /// <summary>Default page size of <c>GET /api/trees</c>.</summary>
    public const int DefaultListLimit = 50;

    /// <summary>Largest page size of <c>GET /api/trees</c>.</summary>
    public const int MaxListLimit = 500;

    /// <summary>Deepest parent chain <c>?view=nested</c> renders.</summary>
    public const int MaxNestedDepth = 100;

    private const string HealthProbeId = "health-probe";

    private readonly ITreeIndex _index;
    private readonly ExecutorRegistry _executors;
    private readonly TreeApiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TreeApi> _logger;
    private readonly ValidationOptions _validation;

    public TreeApi(ITreeIndex index, ExecutorRegistry executors, IOptions<TreeApiOptions> options, TimeProvider time, ILogger<TreeApi> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _executors = executors;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _validation = new ValidationOptions(executors.Names, _options.MaxTasks, _options.MaxDependenciesPerTask);
    }

    /// <summary>The API path of a tree.</summary>
    public static string TreePath(string treeId) => $"{RoutePrefix}/trees/{Uri.EscapeDataString(treeId)}";

    /// <summary><c>POST /api/trees</c>.</summary>
    public Task<IActionResult> SubmitAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("submit", () => SubmitCoreAsync(request, client, cancellationToken), cancellationToken);

    /// <summary><c>GET /api/trees/{tree_id}</c>.</summary>
    public Task<IActionResult> GetTreeAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("get tree", () => GetTreeCoreAsync(request, treeId, client, cancellationToken), cancellationToken);

    /// <summary><c>GET /api/trees/{tree_id}/tasks/{task_id}</c>.</summary>
    public Task<IActionResult> GetTaskAsync(HttpRequest request, string treeId, string taskId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("get task", () => GetTaskCoreAsync(request, treeId, taskId, client, cancellationToken), cancellationToken);

    /// <summary><c>GET /api/trees</c>.</summary>
    public Task<IActionResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        GuardAsync("list", () => ListCoreAsync(request, cancellationToken), cancellationToken);

    /// <summary><c>POST /api/trees/{tree_id}/cancel</c>.</summary>
    public Task<IActionResult> RerunAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("rerun", () => RerunCoreAsync(request, treeId, client, cancellationToken), cancellationToken);

    public Task<IActionResult> CancelAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("cancel", () => CancelCoreAsync(request, treeId, client, cancellationToken), cancellationToken);

    /// <summary><c>GET /api/executors</c>.</summary>
    public IActionResult ListExecutors() =>
        new ApiResult(StatusCodes.Status200OK, new ExecutorListResponse(_executors.All.Select(ExecutorView.From).ToList()));

    /// <summary><c>GET /api/health</c>: 200 when the tree index's storage answers, else 503.</summary>
    public async Task<IActionResult> HealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var checkedAt = WireTime.Format(_time.GetUtcNow().UtcDateTime);
        try
        {
            await _index.GetAsync(HealthProbeId, timeout.Token);
            return new ApiResult(StatusCodes.Status200OK, new HealthResponse("healthy", new HealthStorage(true, null), checkedAt));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogHealthFailed(_logger, ex);
            var error = ex is OperationCanceledException ? "storage did not answer within 5 seconds" : "storage is not reachable: " + ex.GetType().Name;
            return new ApiResult(StatusCodes.Status503ServiceUnavailable, new HealthResponse("unhealthy", new HealthStorage(false, error), checkedAt));
        }
    }

    private async Task<IActionResult> SubmitCoreAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (principal, rejected) = CallerIdentity.Read(request);
        if (rejected is not null)
        {
            return rejected;
        }

        if (RequestBody.CheckContentType(request) is { } unsupported)
        {
            return unsupported;
        }

        var (body, tooLarge) = await RequestBody.ReadAsync(request, _options.MaxRequestBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

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
        var entry = new TreeIndexEntry(treeId, userId, now, null, taskCount, TreeStatus.Pending,
            new TaskCounts(taskCount, 0, 0, 0, 0, 0), 1, hash, TreeIndexState.Reserved);

        var added = await _index.TryAddAsync(entry, cancellationToken);
        if (added.Added)
        {
            // From here on the reservation must be resolved either way: no caller cancellation.
            await StartAsync(client, new TreeRunInputV1(treeId, userId, tree.ToWire(), now.UtcDateTime), undoOnFailure: true);
            return new ApiResult(StatusCodes.Status202Accepted,
                new SubmitResponse(treeId, TreeStatus.Pending.ToWire(), taskCount, TreeLinks.For(treeId)), TreePath(treeId));
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
            await StartAsync(client, new TreeRunInputV1(treeId, userId, tree.ToWire(), existing.CreatedAt.UtcDateTime), undoOnFailure: false);
        }

        return new ApiResult(StatusCodes.Status200OK,
            new SubmitResponse(treeId, existing.Status.ToWire(), existing.TaskCount, TreeLinks.For(treeId)), TreePath(treeId));
    }

    /// <summary>Starts the orchestration of a reserved tree unless it exists, then marks the tree started.
    /// When the start fails and no instance exists, <paramref name="undoOnFailure"/> deletes the reservation.</summary>
    private async Task StartAsync(DurableTaskClient client, TreeRunInputV1 input, bool undoOnFailure)
    {
        var treeId = input.TreeId;
        try
        {
            if (undoOnFailure || await client.GetInstanceAsync(treeId, getInputsAndOutputs: false, CancellationToken.None) is null)
            {
                await client.ScheduleNewOrchestrationInstanceAsync(TreeOrchestration.Name, input, new StartOrchestrationOptions(treeId), CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            // A start that threw may still have happened (a lost answer, or a racing retry started it).
            OrchestrationMetadata? instance = null;
            try
            {
                instance = await client.GetInstanceAsync(treeId, getInputsAndOutputs: false, CancellationToken.None);
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

    private async Task<IActionResult> GetTreeCoreAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var view = request.Query["view"].ToString();
        if (view.Length > 0 && view is not ("nested" or "flat"))
        {
            return ApiResult.BadRequest($"view must be 'flat' or 'nested', got '{view}'", "view");
        }

        var (entry, rejected) = await FindVisibleTreeAsync(request, treeId, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var tree = await ReadTreeAsync(entry!, client, cancellationToken);
        if (view == "nested")
        {
            var nested = Nest(tree.Tasks);
            if (nested is null)
            {
                return ApiResult.BadRequest($"the parent chain is deeper than {MaxNestedDepth}: read the flat view", "view");
            }

            tree = tree with { Tasks = nested };
        }

        return new ApiResult(StatusCodes.Status200OK, tree);
    }

    private async Task<IActionResult> GetTaskCoreAsync(HttpRequest request, string treeId, string taskId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (entry, rejected) = await FindVisibleTreeAsync(request, treeId, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var task = TreeValidator.IsValidId(taskId)
            ? (await ReadTreeAsync(entry!, client, cancellationToken)).Tasks.FirstOrDefault(t => t.Id == taskId)
            : null;
        return task is null
            ? ApiResult.NotFound($"tree '{treeId}' has no task '{taskId}'")
            : new ApiResult(StatusCodes.Status200OK, task);
    }

    private async Task<IActionResult> CancelCoreAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (entry, rejected) = await FindVisibleTreeAsync(request, treeId, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var state = await ReadStatusAsync(client, treeId, cancellationToken);
        var status = state is { Tasks.Count: > 0 } ? state.Status : entry!.Status;
        if (status.IsTerminal() || entry!.Status.IsTerminal())
        {
            return NotCancellable(treeId, $"tree '{treeId}' has already ended ({(status.IsTerminal() ? status : entry!.Status).ToWire()})");
        }

        var instance = await client.GetInstanceAsync(treeId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null)
        {
            return NotCancellable(treeId, $"tree '{treeId}' has not started yet: retry in a moment");
        }

        if (instance.IsCompleted)
        {
            return NotCancellable(treeId, $"tree '{treeId}' has already ended");
        }

        await client.RaiseEventAsync(treeId, TreeOrchestration.CancelEvent, null, cancellationToken);
        return new ApiResult(StatusCodes.Status202Accepted, new CancelResponse(treeId, status.ToWire(), true, TreeLinks.For(treeId)), TreePath(treeId));
    }

    /// <summary>How long a rerun waits for a run that has ended to finish recording its outcome.</summary>
    private static readonly TimeSpan RunFinishWait = TimeSpan.FromSeconds(10);

    private async Task<IActionResult> RerunCoreAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (entry, rejected) = await FindVisibleTreeAsync(request, treeId, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var (body, problem) = await ReadRerunBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var instance = await client.GetInstanceAsync(treeId, getInputsAndOutputs: true, cancellationToken);
        var state = await ReadStatusAsync(client, treeId, cancellationToken);
        if (state is { Tasks.Count: > 0 } && state.Status.IsTerminal() && instance is { IsCompleted: false })
        {
            // The run has ended (reads say so) but its orchestration is still recording the outcome in the
            // index: a moment's wait, so a rerun right after a read that showed the end does not bounce.
            (instance, entry) = await WaitForRunToFinishAsync(client, treeId, instance, entry!, cancellationToken);
        }

        // The index row turns in_progress the moment a rerun claims the next run, before the new
        // orchestration exists: it closes the window in which the old, completed instance is all there is.
        if (instance is null || !instance.IsCompleted || state is not { Tasks.Count: > 0 } || !state.Status.IsTerminal() || !entry!.Status.IsTerminal())
        {
            return Conflict(ApiErrorCodes.TreeRunning, $"tree '{treeId}' is still running (or has not started): wait for it to end, or cancel it");
        }

        var run = Math.Max(entry!.Run, state.Run);
        if (body.ExpectedRun is { } expected && expected != run)
        {
            return Conflict(ApiErrorCodes.RunMismatch, $"tree '{treeId}' is at run {run}, not {expected}");
        }

        var input = instance.ReadInputAs<TreeRunInputV1>()!;
        var graph = TaskGraph.Build(input.Tree.ToDomain());
        var records = state.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var plan = RerunPlan.Create(graph,
            id => records.GetValueOrDefault(id)?.Status ?? TaskRunStatus.Pending,
            id => records.GetValueOrDefault(id)?.Result,
            body.Tasks, out var unknown);
        if (unknown.Count > 0)
        {
            var details = unknown.Select(id => new ErrorDetail(ApiErrorCodes.UnknownTask, $"tree '{treeId}' has no task '{id}'", "$.tasks", RelatedId: id)).ToList();
            return ApiResult.Error(StatusCodes.Status400BadRequest, ApiErrorCodes.UnknownTask,
                $"{unknown.Count} of the named tasks are not tasks of tree '{treeId}'", details);
        }

        if (plan.Rerun.Count == 0)
        {
            return Conflict(ApiErrorCodes.NothingToRerun, $"every task of tree '{treeId}' completed: name the tasks to run again in {{\"tasks\": [...]}}");
        }

        // Compare-and-set on the index row: of two simultaneous reruns exactly one moves the run on.
        var counts = new TaskCounts(plan.Rerun.Count, 0, plan.Carried.Count, 0, 0, 0);
        if (!await _index.TryBeginRunAsync(treeId, run, counts, cancellationToken))
        {
            return Conflict(ApiErrorCodes.TreeRunning, $"tree '{treeId}' was just started again by another request");
        }

        var next = input with { Run = run + 1, Carried = plan.Carried };
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(TreeOrchestration.Name, next, new StartOrchestrationOptions(treeId), cancellationToken);
        }
        catch
        {
            // Give the claimed run an end, so the tree is not left "running" with nothing behind it.
            var ended = TaskCounts.Of(state.Tasks.Select(t => t.Status));
            await _index.RecordOutcomeAsync(new TreeOutcomeUpdate(treeId, run + 1, state.Status, ended, _time.GetUtcNow()), CancellationToken.None);
            throw;
        }

        return new ApiResult(StatusCodes.Status202Accepted,
            new RerunResponse(treeId, TreeStatus.Pending.ToWire(), run + 1, plan.Rerun, plan.Carried.Count, TreeLinks.For(treeId)), TreePath(treeId));
    }

    /// <summary>Waits up to <see cref="RunFinishWait"/> for the orchestration to complete; the index row is read again after.</summary>
    private async Task<(OrchestrationMetadata Instance, TreeIndexEntry Entry)> WaitForRunToFinishAsync(
        DurableTaskClient client, string treeId, OrchestrationMetadata instance, TreeIndexEntry entry, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RunFinishWait);
        try
        {
            instance = await client.WaitForInstanceCompletionAsync(treeId, getInputsAndOutputs: true, wait.Token) ?? instance;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (instance, entry); // still finishing: answered as running
        }

        return (instance, await _index.GetAsync(treeId, cancellationToken) ?? entry);
    }

    private sealed record RerunBody(IReadOnlyList<string> Tasks, int? ExpectedRun);

    /// <summary>Reads the optional body <c>{"tasks": [...], "expected_run": n}</c>; an empty body is allowed.</summary>
    private async Task<(RerunBody Body, ApiResult? Problem)> ReadRerunBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var none = new RerunBody([], null);
        if (request.ContentLength == 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType)))
        {
            return (none, null);
        }

        if (RequestBody.CheckContentType(request) is { } unsupported)
        {
            return (none, unsupported);
        }

        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, _options.MaxRequestBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return (none, tooLarge);
        }

        if (bytes.Length == 0 || bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (none, null);
        }

        System.Text.Json.JsonDocument document;
        try
        {
            document = System.Text.Json.JsonDocument.Parse(bytes);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return (none, Invalid(ValidationCodes.InvalidJson, $"the body is not valid JSON: {ex.Message}", "$"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return (none, Invalid(ValidationCodes.InvalidRequest, "the body must be an object {\"tasks\": [...], \"expected_run\": n}", "$"));
            }

            var tasks = new List<string>();
            int? expectedRun = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "tasks" when property.Value.ValueKind == System.Text.Json.JsonValueKind.Array
                        && property.Value.EnumerateArray().All(e => e.ValueKind == System.Text.Json.JsonValueKind.String):
                        tasks.AddRange(property.Value.EnumerateArray().Select(e => e.GetString()!));
                        break;
                    case "tasks":
                        return (none, Invalid(ValidationCodes.InvalidRequest, "\"tasks\" must be an array of task ids", "$.tasks"));
                    case "expected_run" when property.Value.ValueKind == System.Text.Json.JsonValueKind.Number && property.Value.TryGetInt32(out var n) && n >= 1:
                        expectedRun = n;
                        break;
                    case "expected_run":
                        return (none, Invalid(ValidationCodes.InvalidRequest, "\"expected_run\" must be a run number (1 or more)", "$.expected_run"));
                    default:
                        return (none, Invalid(ValidationCodes.InvalidRequest, $"unknown field \"{property.Name}\"; expected tasks, expected_run", "$." + property.Name));
                }
            }

            return (new RerunBody(tasks, expectedRun), null);
        }
    }

    private static ApiResult Invalid(string code, string message, string path) =>
        ApiResult.Error(StatusCodes.Status400BadRequest, code, message, [new ErrorDetail(code, message, path)]);

    private static ApiResult Conflict(string code, string message) =>
        ApiResult.Error(StatusCodes.Status409Conflict, code, message, [new ErrorDetail(code, message)]);

    private static ApiResult NotCancellable(string treeId, string message) =>
        ApiResult.Error(StatusCodes.Status409Conflict, ApiErrorCodes.NotCancellable, message,
            [new ErrorDetail(ApiErrorCodes.NotCancellable, message, TaskId: null, RelatedId: treeId)]);

    private async Task<IActionResult> ListCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (principal, rejected) = CallerIdentity.Read(request);
        if (rejected is not null)
        {
            return rejected;
        }

        var query = request.Query;
        var userParam = query["user_id"].ToString();
        if (query["user_id"].Count > 1 || query["status"].Count > 1 || query["limit"].Count > 1 || query["continuation"].Count > 1)
        {
            return ApiResult.BadRequest("repeat no query parameter");
        }

        if (userParam.Length > 0 && !TreeValidator.IsValidUserId(userParam))
        {
            return ApiResult.BadRequest("user_id is not a valid user id", "user_id");
        }

        if (principal is not null && userParam.Length > 0 && userParam != principal)
        {
            return ApiResult.Error(StatusCodes.Status403Forbidden, ApiErrorCodes.ForbiddenUser, "you may only list your own trees: leave user_id out");
        }

        var userId = principal ?? (userParam.Length > 0 ? userParam : CallerIdentity.AnonymousUser);

        TreeStatus? status = null;
        var statusParam = query["status"].ToString();
        if (statusParam.Length > 0)
        {
            if (!StatusNames.TryParseTreeStatus(statusParam, out var parsed))
            {
                return ApiResult.BadRequest($"status must be one of pending, in_progress, completed, failed, cancelled; got '{statusParam}'", "status");
            }

            status = parsed;
        }

        var limit = DefaultListLimit;
        var limitParam = query["limit"].ToString();
        if (limitParam.Length > 0 && (!int.TryParse(limitParam, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxListLimit))
        {
            return ApiResult.BadRequest($"limit must be a whole number from 1 to {MaxListLimit}; got '{limitParam}'", "limit");
        }

        var continuation = query["continuation"].ToString();
        TreeIndexPage page;
        try
        {
            page = await _index.ListAsync(userId, status, limit, continuation.Length > 0 ? continuation : null, cancellationToken);
        }
        catch (InvalidContinuationException)
        {
            return ApiResult.BadRequest("continuation is not a token this list returned (for this user and status filter)", "continuation");
        }

        string? next = null;
        if (page.ContinuationToken is { } token)
        {
            var parts = new List<string>();
            if (principal is null)
            {
                parts.Add("user_id=" + Uri.EscapeDataString(userId));
            }

            if (status is { } s)
            {
                parts.Add("status=" + s.ToWire());
            }

            parts.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
            parts.Add("continuation=" + Uri.EscapeDataString(token));
            next = $"{RoutePrefix}/trees?{string.Join('&', parts)}";
        }

        return new ApiResult(StatusCodes.Status200OK, new TreeListResponse(page.Items.Select(TreeSummary.From).ToList(), page.ContinuationToken, next));
    }

    /// <summary>The index entry of a tree the caller may see, or 404 (unknown, malformed, or another
    /// user's tree: a caller learns nothing about trees that are not theirs).</summary>
    private async Task<(TreeIndexEntry? Entry, ApiResult? Rejection)> FindVisibleTreeAsync(HttpRequest request, string treeId, CancellationToken cancellationToken)
    {
        var (principal, rejected) = CallerIdentity.Read(request);
        if (rejected is not null)
        {
            return (null, rejected);
        }

        var notFound = ApiResult.NotFound($"there is no tree '{treeId}'");
        if (!TreeValidator.IsValidId(treeId))
        {
            return (null, notFound);
        }

        var entry = await _index.GetAsync(treeId, cancellationToken);
        var owner = principal ?? (request.Query["user_id"].ToString() is { Length: > 0 } queried ? queried : null);
        if (entry is null || (owner is not null && !string.Equals(owner, entry.UserId, StringComparison.Ordinal)))
        {
            return (null, notFound);
        }

        return (entry, null);
    }

    private static async Task<TreeStatusStateV1?> ReadStatusAsync(DurableTaskClient client, string treeId, CancellationToken cancellationToken)
    {
        var metadata = await client.Entities.GetEntityAsync<TreeStatusStateV1>(TreeStatusEntity.IdFor(treeId), includeState: true, cancellationToken);
        return metadata?.IncludesState == true ? metadata.State : null;
    }

    /// <summary>The tree as the status entity shows it; before the run's first status update, every task
    /// pending, read from the orchestration input (or no tasks, if even that is not there yet).</summary>
    private static async Task<TreeView> ReadTreeAsync(TreeIndexEntry entry, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var treeId = entry.TreeId;
        var createdAt = WireTime.Format(entry.CreatedAt.UtcDateTime);
        var state = await ReadStatusAsync(client, treeId, cancellationToken);
        if (state is { Tasks.Count: > 0 })
        {
            var records = state.Tasks.Select(TaskView.From).ToList();
            var counts = Count(records);
            // A rerun claims its run on the index row before its orchestration tells the entity: until then
            // the entity still holds the ended run, and a poller must not read that as the new run's end.
            var claimed = entry.Run > state.Run;
            return new TreeView(treeId, state.UserId ?? entry.UserId, (claimed ? entry.Status : state.Status).ToWire(), counts.Progress, CountsView.From(counts),
                records.Count, state.CreatedAt ?? createdAt, state.StartedAt, claimed ? null : state.CompletedAt, claimed ? entry.Run : state.Run, TreeLinks.For(treeId), records)
            {
                Runs = state.Runs.Select(RunView.From).ToList(),
            };
        }

        var instance = await client.GetInstanceAsync(treeId, getInputsAndOutputs: true, cancellationToken);
        var input = instance?.SerializedInput is null ? null : instance.ReadInputAs<TreeRunInputV1>();
        var tasks = input?.Tree.Tasks.Select(t => TaskView.Pending(t.ToDomain(), createdAt)).ToList() ?? [];
        var pending = tasks.Count > 0 ? Count(tasks) : entry.Counts;
        return new TreeView(treeId, entry.UserId, entry.Status.ToWire(), pending.Progress, CountsView.From(pending),
            entry.TaskCount, createdAt, null, entry.CompletedAt is { } done ? WireTime.Format(done.UtcDateTime) : null,
            entry.Run, TreeLinks.For(treeId), tasks);
    }

    private static TaskCounts Count(IEnumerable<TaskView> tasks) => TaskCounts.Of(tasks.Select(t => t.StatusValue));

    /// <summary>Roots (no parent) with their children nested; null when a parent chain is too deep.</summary>
    private static List<TaskView>? Nest(IReadOnlyList<TaskView> flat)
    {
        var copies = flat.Select(t => t with { Children = null }).ToList();
        var byId = copies.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var roots = new List<TaskView>();
        foreach (var task in copies)
        {
            if (task.ParentId is { } parentId && byId.TryGetValue(parentId, out var parent))
            {
                (parent.Children ??= []).Add(task);
            }
            else
            {
                roots.Add(task);
            }
        }

        // Breadth-first depth check: parents were validated acyclic, so this ends.
        var level = roots;
        for (var depth = 1; level.Count > 0; depth++)
        {
            if (depth > MaxNestedDepth)
            {
                return null;
            }

            level = level.SelectMany(t => t.Children ?? []).ToList();
        }

        foreach (var task in copies)
        {
            task.Children ??= [];
        }

        return roots;
    }

    private async Task<IActionResult> GuardAsync(string operation, Func<Task<IActionResult>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or TimeoutException or HttpRequestException || ex.GetType().Name == "RpcException")
        {
            LogOperationFailed(_logger, operation, ex);
            return ApiResult.Error(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.ServiceUnavailable,
                "storage or the Durable backend is not reachable right now: retry later");
        }
        catch (Exception ex)
        {
            LogOperationFailed(_logger, operation, ex);
            return ApiResult.Error(StatusCodes.Status500InternalServerError, ApiErrorCodes.InternalError, "the server failed to handle the request");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check: the tree index is not reachable")]
    private static partial void LogHealthFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting the orchestration of tree {TreeId} failed")]
    private static partial void LogStartFailed(ILogger logger, string treeId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check whether tree {TreeId} started after a failed start")]
    private static partial void LogStartProbeFailed(ILogger logger, string treeId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "API operation '{Operation}' failed")]
    private static partial void LogOperationFailed(ILogger logger, string operation, Exception exception);
}
