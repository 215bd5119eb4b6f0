using System.Globalization;
using DurableFlow.Application;
using DurableFlow.Contracts;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Storage;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableFlow.Api;

/// <summary>
/// The HTTP adapter of the API, one method per route: it reads the request (caller, body, query), calls
/// one application service (<see cref="TreeSubmission"/>, <see cref="TreeRerun"/>, <see cref="TreeReader"/>,
/// <see cref="TreeCancellation"/>) and maps exceptions to 500/503. The Functions triggers in
/// <see cref="TreeApiFunctions"/> only call in. Bad input is always a 4xx with
/// <c>{"error": {"code", "message", "details"}}</c>; server faults are 500/503 with the same shape.
/// </summary>
public sealed partial class TreeApi(
    TreeAccess access,
    TreeSubmission submission,
    TreeReader reader,
    TreeCancellation cancellation,
    TreeRerun rerun,
    TreeTermination termination,
    ITreeIndex index,
    ExecutorRegistry executors,
    IOptions<TreeApiOptions> options,
    TimeProvider time,
    ILogger<TreeApi> logger,
    IRunInputStore? runInputs = null)
{
    /// <summary>The tree runs of one request's Durable client (big run inputs kept in the run-input store).</summary>
    private DurableTreeRuns Runs(DurableTaskClient client) => new(client, runInputs);

    private const string HealthProbeId = "health-probe";

    private readonly TreeApiOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    /// <summary>Composes the API without a container (tests and benchmarks); the app uses <c>AddTreeApi</c>.</summary>
    public static TreeApi Create(ITreeIndex index, ExecutorRegistry executors, IOptions<TreeApiOptions> options, TimeProvider time, ILoggerFactory loggers, IOptions<TaskRunnerOptions>? tasks = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        tasks ??= Options.Create(new TaskRunnerOptions());
        var access = new TreeAccess(index);
        var reconciliation = new TreeReconciliation(index, time, loggers.CreateLogger<TreeReconciliation>());
        return new TreeApi(access, new TreeSubmission(index, executors, options, tasks, time, loggers.CreateLogger<TreeSubmission>()),
            new TreeReader(index, access, reconciliation), new TreeCancellation(access, reconciliation), new TreeRerun(index, tasks, time, reconciliation),
            new TreeTermination(access, reconciliation, index, time), index, executors, options, time, loggers.CreateLogger<TreeApi>());
    }

    /// <summary><c>POST /api/trees</c>.</summary>
    public Task<IActionResult> SubmitAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("submit", async () =>
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
            return tooLarge ?? await submission.SubmitAsync(body, principal, Runs(client), cancellationToken);
        }, cancellationToken);

    /// <summary><c>GET /api/trees/{tree_id}</c>.</summary>
    public Task<IActionResult> GetTreeAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("get tree", async () =>
        {
            var viewParam = request.Query["view"].ToString();
            TreeReadView? view = viewParam switch
            {
                "" or "flat" => TreeReadView.Flat,
                "nested" => TreeReadView.Nested,
                "summary" => TreeReadView.Summary,
                _ => null,
            };
            if (view is null)
            {
                return ApiResult.BadRequest($"view must be 'flat', 'nested' or 'summary', got '{viewParam}'", "view");
            }

            if (ReadIncludeResults(request) is not { } withResults)
            {
                return IncludeRejected(request);
            }

            var (owner, rejected) = ReadOwner(request);
            return rejected ?? await reader.GetTreeAsync(treeId, owner, view.Value, withResults, Runs(client), cancellationToken);
        }, cancellationToken);

    /// <summary><c>GET /api/trees/{tree_id}/tasks</c>.</summary>
    public Task<IActionResult> GetTasksAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("get tasks", async () =>
        {
            var query = request.Query;
            if (query["limit"].Count > 1 || query["continuation"].Count > 1 || query["status"].Count > 1)
            {
                return ApiResult.BadRequest("limit, continuation and status may each be given once");
            }

            var limit = TreeReader.DefaultTaskPageLimit;
            var limitParam = query["limit"].ToString();
            if (limitParam.Length > 0 && (!int.TryParse(limitParam, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > TreeRecords.MaxPageLimit))
            {
                return ApiResult.BadRequest($"limit must be a whole number from 1 to {TreeRecords.MaxPageLimit}; got '{limitParam}'", "limit");
            }

            var from = TaskPageToken.First;
            var continuation = query["continuation"].ToString();
            if (continuation.Length > 0 && !TaskPageToken.TryParse(continuation, out from))
            {
                return ApiResult.BadRequest("continuation is not a token this list returned", "continuation");
            }

            HashSet<TaskRunStatus>? statuses = null;
            var statusParam = query["status"].ToString();
            if (statusParam.Length > 0)
            {
                statuses = [];
                foreach (var name in statusParam.Split(','))
                {
                    if (!StatusNames.TryParseTaskStatus(name.Trim(), out var status))
                    {
                        return ApiResult.BadRequest($"status must be one or more of pending, in_progress, completed, failed, skipped, cancelled (comma-separated); got '{statusParam}'", "status");
                    }

                    statuses.Add(status);
                }
            }

            if (ReadIncludeResults(request) is not { } withResults)
            {
                return IncludeRejected(request);
            }

            var (owner, rejected) = ReadOwner(request);
            return rejected ?? await reader.GetTasksAsync(treeId, owner, from, limit, statuses, withResults, Runs(client), cancellationToken);
        }, cancellationToken);

    /// <summary><c>include=results</c>: true; absent: false; anything else: null (rejected).</summary>
    private static bool? ReadIncludeResults(HttpRequest request) => request.Query["include"].ToString() switch
    {
        "" => false,
        "results" => true,
        _ => null,
    };

    private static ApiResult IncludeRejected(HttpRequest request) =>
        ApiResult.BadRequest($"include must be 'results' or left out; got '{request.Query["include"]}'", "include");

    /// <summary><c>GET /api/trees/{tree_id}/tasks/{task_id}</c>.</summary>
    public Task<IActionResult> GetTaskAsync(HttpRequest request, string treeId, string taskId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("get task", async () =>
        {
            var (owner, rejected) = ReadOwner(request);
            return rejected ?? await reader.GetTaskAsync(treeId, taskId, owner, Runs(client), cancellationToken);
        }, cancellationToken);

    /// <summary><c>GET /api/trees</c>.</summary>
    public Task<IActionResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        GuardAsync("list", async () =>
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

            var limit = TreeReader.DefaultListLimit;
            var limitParam = query["limit"].ToString();
            if (limitParam.Length > 0 && (!int.TryParse(limitParam, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ITreeIndex.MaxListLimit))
            {
                return ApiResult.BadRequest($"limit must be a whole number from 1 to {ITreeIndex.MaxListLimit}; got '{limitParam}'", "limit");
            }

            var continuation = query["continuation"].ToString();
            return await reader.ListAsync(userId, principal is null, status, limit, continuation.Length > 0 ? continuation : null, cancellationToken);
        }, cancellationToken);

    /// <summary><c>POST /api/trees/{tree_id}/rerun</c>.</summary>
    public Task<IActionResult> RerunAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("rerun", async () =>
        {
            var (owner, rejected) = ReadOwner(request);
            if (rejected is not null)
            {
                return rejected;
            }

            // The tree is looked up before the body is read: an unknown tree is 404 whatever the body.
            var (entry, hidden) = await access.FindVisibleAsync(treeId, owner, cancellationToken);
            if (hidden is not null)
            {
                return hidden;
            }

            var (body, problem) = await ReadRerunBodyAsync(request, cancellationToken);
            return problem ?? await rerun.RerunAsync(entry!, body, Runs(client), cancellationToken);
        }, cancellationToken);

    /// <summary><c>POST /api/trees/{tree_id}/cancel</c>.</summary>
    public Task<IActionResult> CancelAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("cancel", async () =>
        {
            var (owner, rejected) = ReadOwner(request);
            return rejected ?? await cancellation.CancelAsync(treeId, owner, Runs(client), cancellationToken);
        }, cancellationToken);

    /// <summary><c>POST /api/trees/{tree_id}/terminate</c>, body optional <c>{"reason": "..."}</c>.</summary>
    public Task<IActionResult> TerminateAsync(HttpRequest request, string treeId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync("terminate", async () =>
        {
            var (owner, rejected) = ReadOwner(request);
            if (rejected is not null)
            {
                return rejected;
            }

            var (reason, problem) = await ReadTerminateBodyAsync(request, cancellationToken);
            return problem ?? await termination.TerminateAsync(treeId, owner, reason, Runs(client), cancellationToken);
        }, cancellationToken);

    /// <summary><c>GET /api/executors</c>.</summary>
    public IActionResult ListExecutors() =>
        new ApiResult(StatusCodes.Status200OK, new ExecutorListResponse(executors.All.Select(ExecutorView.From).ToList()));

    /// <summary><c>GET /api/health</c>: 200 when the tree index's storage answers, else 503.</summary>
    public async Task<IActionResult> HealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var checkedAt = WireTime.Format(time.GetUtcNow().UtcDateTime);
        try
        {
            await index.GetAsync(HealthProbeId, timeout.Token);
            return new ApiResult(StatusCodes.Status200OK, new HealthResponse("healthy", new HealthStorage(true, null), checkedAt));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogHealthFailed(logger, ex);
            var error = ex is OperationCanceledException ? "storage did not answer within 5 seconds" : "storage is not reachable: " + ex.GetType().Name;
            return new ApiResult(StatusCodes.Status503ServiceUnavailable, new HealthResponse("unhealthy", new HealthStorage(false, error), checkedAt));
        }
    }

    /// <summary>Whose trees the caller may see: the principal, else the <c>user_id</c> query, else anyone's
    /// (null); or the 400 answer for unreadable principal headers.</summary>
    private static (string? Owner, ApiResult? Rejection) ReadOwner(HttpRequest request)
    {
        var (principal, rejected) = CallerIdentity.Read(request);
        return rejected is not null
            ? (null, rejected)
            : (principal ?? (request.Query["user_id"].ToString() is { Length: > 0 } queried ? queried : null), null);
    }

    /// <summary>Reads the optional rerun body; an empty body (or only white space) means <see cref="RerunRequest.Default"/>.</summary>
    private async Task<(RerunRequest Body, ApiResult? Problem)> ReadRerunBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var none = RerunRequest.Default;
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

        var parsed = RerunRequestJson.Parse(bytes);
        return parsed.Error is { } error ? (none, ApiResult.Invalid(error.Code, error.Message, error.Path ?? "$")) : (parsed.Request, null);
    }

    /// <summary>Reads the optional terminate body <c>{"reason": "..."}</c> with the same discipline as every body.</summary>
    private async Task<(string? Reason, ApiResult? Problem)> ReadTerminateBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType)))
        {
            return (null, null);
        }

        if (RequestBody.CheckContentType(request) is { } unsupported)
        {
            return (null, unsupported);
        }

        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, _options.MaxRequestBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, null);
        }

        if (!StrictJson.TryParse(bytes, out var document, out var error))
        {
            return (null, ApiResult.Invalid(error.Code, error.Message, error.Path ?? "$"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return (null, ApiResult.BadRequest("the body must be an object {\"reason\": \"...\"}", "$"));
            }

            string? reason = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "reason")
                {
                    return (null, ApiResult.BadRequest("unknown field; expected reason", "$"));
                }

                if (property.Value.ValueKind == System.Text.Json.JsonValueKind.Null)
                {
                    continue;
                }

                if (property.Value.ValueKind != System.Text.Json.JsonValueKind.String || property.Value.GetString() is not { } text
                    || text.Length > TreeTermination.MaxReasonLength || text.Any(char.IsControl))
                {
                    return (null, ApiResult.BadRequest($"reason must be a string of at most {TreeTermination.MaxReasonLength} characters without control characters", "$.reason"));
                }

                reason = text;
            }

            return (reason, null);
        }
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
        catch (Exception ex) when (IsUnreachable(ex))
        {
            LogOperationFailed(logger, operation, ex);
            var unavailable = ApiResult.Error(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.ServiceUnavailable,
                $"storage or the Durable backend is not reachable right now: retry in {RetryAfterSeconds} seconds");
            return new ApiResult(unavailable.StatusCode, unavailable.Body) { RetryAfterSeconds = RetryAfterSeconds };
        }
        catch (Exception ex)
        {
            LogOperationFailed(logger, operation, ex);
            return ApiResult.Error(StatusCodes.Status500InternalServerError, ApiErrorCodes.InternalError, "the server failed to handle the request");
        }
    }

    /// <summary>The <c>Retry-After</c> of a 503: long enough for a blip to pass, short enough not to stall clients.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// Whether <paramref name="ex"/> says storage or the Durable backend could not be reached (503), not that
    /// the app is broken (500). Azure.Core throws an <see cref="AggregateException"/> of every try's failure
    /// once its retries are spent: unreachable when every inner exception is.
    /// </summary>
    private static bool IsUnreachable(Exception ex) => ex switch
    {
        Azure.RequestFailedException or TimeoutException or HttpRequestException or RpcException or System.Net.Sockets.SocketException or IOException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnreachable),
        // Not the caller's cancellation (handled before): a storage client's network timeout, such as Azure.Core's
        // "exceeded the configured timeout", whatever it wraps.
        OperationCanceledException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check: the tree index is not reachable")]
    private static partial void LogHealthFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "API operation '{Operation}' failed")]
    private static partial void LogOperationFailed(ILogger logger, string operation, Exception exception);
}
