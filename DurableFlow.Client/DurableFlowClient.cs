using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableFlow.Client;

/// <summary>
/// Typed client of the DurableFlow HTTP API: one method per route. Errors answered by the API throw
/// <see cref="DurableFlowApiException"/>; network failures that outlast the retries throw
/// <see cref="HttpRequestException"/> (or a time-out's <see cref="TaskCanceledException"/>).
/// </summary>
/// <remarks>
/// Give it an <see cref="HttpClient"/> from <c>IHttpClientFactory</c>
/// (<see cref="DurableFlowServiceCollectionExtensions.AddDurableFlowClient"/>), or use
/// <see cref="Create"/>; either way transient failures are retried by the pipeline of
/// <see cref="DurableFlowResilience"/>.
/// </remarks>
public sealed class DurableFlowClient
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    /// <summary>The largest page of <c>GET /api/trees/{tree_id}/tasks</c>, and the most tasks a tree read holds.</summary>
    public const int MaxTaskPageLimit = 1000;

    private readonly HttpClient _http;
    private readonly DurableFlowClientOptions _options;
    private readonly Uri _root;

    public DurableFlowClient(HttpClient httpClient, DurableFlowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _options = options;
        // A trailing slash makes relative routes append to the path instead of replacing its last segment.
        var root = options.BaseAddress.ToString();
        _root = new Uri(root.EndsWith('/') ? root : root + "/", UriKind.Absolute);
    }

    /// <summary>A client with its own retrying handler chain over <paramref name="innerHandler"/> (default: a new socket handler).</summary>
    public static DurableFlowClient Create(DurableFlowClientOptions options, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = DurableFlowResilience.CreateHandler(options.Retry, options.TimeProvider, innerHandler ?? new SocketsHttpHandler());
#pragma warning disable CA2000 // the HttpClient owns and disposes the handler chain
        // No overall time-out: each attempt has one (the pipeline's), and a Retry-After may rightly wait longer than 100 s.
        return new DurableFlowClient(new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan }, options);
#pragma warning restore CA2000
    }

    /// <summary><c>POST /api/trees</c>. A <c>tree_id</c> is assigned here when absent, so a retry is an idempotent repeat.</summary>
    public async Task<SubmitResponse> SubmitAsync(TreeSubmission tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (tree.TreeId is null)
        {
            tree = tree with { TreeId = TreeIds.New() };
        }
        return await SubmitBodyAsync(JsonSerializer.Serialize(tree, DurableFlowJson.Request), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds <paramref name="tree"/> and submits it.</summary>
    public Task<SubmitResponse> SubmitAsync(TreeBuilder tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return SubmitAsync(tree.Build(), cancellationToken);
    }

    /// <summary>
    /// Submits a tree written as JSON (a file, say) exactly as written, so the server's validator judges it;
    /// only <c>tree_id</c> is set: to <paramref name="treeId"/> when given, else to a new id when the JSON has none.
    /// JSON the client cannot read goes as it is, for the server to report.
    /// </summary>
    public Task<SubmitResponse> SubmitJsonAsync(string json, string? treeId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SubmitBodyAsync(WithTreeId(json, treeId), cancellationToken);
    }

    /// <summary>
    /// <c>GET /api/trees/{tree_id}</c> in the flat view, or nested (tasks under <c>children</c> by <c>parent_id</c>):
    /// the first 1,000 tasks, without results. Same as <see cref="GetTreeAsync(string, TreeReadOptions, CancellationToken)"/>.
    /// </summary>
    public Task<TreeView> GetTreeAsync(string treeId, bool nested = false, CancellationToken cancellationToken = default) =>
        GetTreeAsync(treeId, new TreeReadOptions { View = nested ? TreeReadView.Nested : TreeReadView.Flat }, cancellationToken);

    /// <summary>
    /// <c>GET /api/trees/{tree_id}</c> with a <c>view</c> and, when asked, the tasks' results. The flat and nested
    /// views hold the first 1,000 tasks; <see cref="TreeView.TasksContinuation"/> then reads the rest
    /// (<see cref="GetTreeWithAllTasksAsync"/> does it all).
    /// </summary>
    public Task<TreeView> GetTreeAsync(string treeId, TreeReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var view = options.View switch
        {
            TreeReadView.Flat => null,
            TreeReadView.Nested => "nested",
            TreeReadView.Summary => "summary",
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.View, "not a TreeReadView"),
        };
        return GetAsync<TreeView>(TreePath(treeId) + Query(
            ("view", view),
            ("include", options.IncludeResults ? "results" : null),
            ("user_id", _options.UserId)), cancellationToken);
    }

    /// <summary><c>GET /api/trees/{tree_id}?view=summary</c>: status, counts, progress and runs, no tasks; cheap whatever the tree's size.</summary>
    public Task<TreeView> GetTreeSummaryAsync(string treeId, CancellationToken cancellationToken = default) =>
        GetTreeAsync(treeId, new TreeReadOptions { View = TreeReadView.Summary }, cancellationToken);

    /// <summary>
    /// The flat tree read with every task: the tree read, then the tasks pages from its
    /// <see cref="TreeView.TasksContinuation"/> (1,000 a page). The answer's <see cref="TreeView.TasksContinuation"/> is null.
    /// </summary>
    public async Task<TreeView> GetTreeWithAllTasksAsync(string treeId, bool includeResults = false, CancellationToken cancellationToken = default)
    {
        var tree = await GetTreeAsync(treeId, new TreeReadOptions { IncludeResults = includeResults }, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(tree.TasksContinuation))
        {
            return tree;
        }
        var tasks = new List<TaskView>(tree.Tasks ?? []);
        var query = new TaskPageQuery { Limit = MaxTaskPageLimit, Continuation = tree.TasksContinuation, IncludeResults = includeResults };
        await foreach (var task in GetAllTasksAsync(treeId, query, cancellationToken).ConfigureAwait(false))
        {
            tasks.Add(task);
        }
        return tree with { Tasks = tasks, TasksContinuation = null };
    }

    /// <summary>
    /// <c>GET /api/trees/{tree_id}/tasks</c>: one page of task records. A page may hold fewer than the limit (none,
    /// even) and still have a <see cref="TaskPage.Continuation"/>: read on while it is not null.
    /// </summary>
    public Task<TaskPage> GetTasksPageAsync(string treeId, TaskPageQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new TaskPageQuery();
        var statuses = query.Statuses is { Count: > 0 } listed ? string.Join(',', listed) : null;
        return GetAsync<TaskPage>(TreePath(treeId) + "/tasks" + Query(
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("status", statuses),
            ("include", query.IncludeResults ? "results" : null),
            ("continuation", query.Continuation),
            ("user_id", _options.UserId)), cancellationToken);
    }

    /// <summary>
    /// Every task matching <paramref name="query"/> (from its <see cref="TaskPageQuery.Continuation"/> on, when given),
    /// following the continuation tokens page by page; pages of 1,000 unless <see cref="TaskPageQuery.Limit"/> says otherwise.
    /// </summary>
    public async IAsyncEnumerable<TaskView> GetAllTasksAsync(
        string treeId, TaskPageQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new TaskPageQuery();
        query = query with { Limit = query.Limit ?? MaxTaskPageLimit };
        while (true)
        {
            var page = await GetTasksPageAsync(treeId, query, cancellationToken).ConfigureAwait(false);
            foreach (var task in page.Tasks)
            {
                yield return task;
            }
            if (string.IsNullOrEmpty(page.Continuation))
            {
                yield break;
            }
            query = query with { Continuation = page.Continuation };
        }
    }

    /// <summary><c>GET /api/trees/{tree_id}/tasks/{task_id}</c>.</summary>
    public Task<TaskView> GetTaskAsync(string treeId, string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return GetAsync<TaskView>(TreePath(treeId) + "/tasks/" + Uri.EscapeDataString(taskId) + Query(("user_id", _options.UserId)), cancellationToken);
    }

    /// <summary><c>GET /api/trees</c>: one page, newest first.</summary>
    public Task<TreeListResponse> ListTreesAsync(TreeListQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new TreeListQuery();
        var path = "trees" + Query(
            ("user_id", query.UserId ?? _options.UserId),
            ("status", query.Status),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
            ("continuation", query.Continuation));
        return GetAsync<TreeListResponse>(path, cancellationToken);
    }

    /// <summary>Every tree matching <paramref name="query"/>, following the continuation tokens page by page.</summary>
    public async IAsyncEnumerable<TreeSummary> ListAllTreesAsync(
        TreeListQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new TreeListQuery();
        while (true)
        {
            var page = await ListTreesAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var tree in page.Trees)
            {
                yield return tree;
            }
            if (string.IsNullOrEmpty(page.Continuation))
            {
                yield break;
            }
            query = query with { Continuation = page.Continuation };
        }
    }

    /// <summary><c>POST /api/trees/{tree_id}/cancel</c>: stops new dispatch; running tasks finish.</summary>
    public Task<CancelResponse> CancelAsync(string treeId, CancellationToken cancellationToken = default) =>
        SendAsync<CancelResponse>(HttpMethod.Post, TreePath(treeId) + "/cancel" + Query(("user_id", _options.UserId)), null, cancellationToken);

    /// <summary><c>POST /api/trees/{tree_id}/terminate</c>: ends a stuck tree at once (running tasks are abandoned)
    /// and records it <c>failed</c> with <c>terminated: reason</c>. Unlike <see cref="CancelAsync"/> nothing is waited for.</summary>
    public Task<TerminateResponse> TerminateAsync(string treeId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var body = reason is null ? null : JsonSerializer.Serialize(new TerminateRequest { Reason = reason }, DurableFlowJson.Request);
        return SendAsync<TerminateResponse>(HttpMethod.Post, TreePath(treeId) + "/terminate" + Query(("user_id", _options.UserId)), body, cancellationToken);
    }

    /// <summary><c>POST /api/trees/{tree_id}/rerun</c>: runs what did not complete (and <see cref="RerunRequest.Tasks"/> with their dependents) again.</summary>
    public Task<RerunResponse> RerunAsync(string treeId, RerunRequest? request = null, CancellationToken cancellationToken = default)
    {
        var body = request is null ? null : JsonSerializer.Serialize(request, DurableFlowJson.Request);
        return SendAsync<RerunResponse>(HttpMethod.Post, TreePath(treeId) + "/rerun" + Query(("user_id", _options.UserId)), body, cancellationToken);
    }

    /// <summary><c>GET /api/executors</c>.</summary>
    public Task<ExecutorListResponse> ListExecutorsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<ExecutorListResponse>("executors", cancellationToken);

    /// <summary><c>GET /api/health</c>; an unhealthy host (its <c>503</c>) is returned, not thrown.</summary>
    public async Task<HealthResponse> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, "health", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            var health = await TryReadAsync<HealthResponse>(response, cancellationToken).ConfigureAwait(false);
            if (health is { Status.Length: > 0 })
            {
                return health;
            }
        }
        return await ReadAsync<HealthResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Polls the tree's summary (<see cref="GetTreeSummaryAsync"/>: no tasks, cheap whatever the tree's size) until
    /// the tree has ended (completed, failed or cancelled) and returns the last summary; read the tasks afterwards
    /// if needed. <paramref name="progress"/> sees every read. Cancelling <paramref name="cancellationToken"/> stops
    /// the waiting only: the tree goes on (use <see cref="CancelAsync"/> to stop it).
    /// </summary>
    public Task<TreeView> WaitAsync(
        string treeId, WaitOptions? options = null, IProgress<TreeView>? progress = null, CancellationToken cancellationToken = default) =>
        WatchAsync(treeId, progress is null ? null : (tree, _) =>
        {
            progress.Report(tree);
            return Task.CompletedTask;
        }, options, cancellationToken);

    /// <summary>
    /// <see cref="WaitAsync"/> with an asynchronous observer: <paramref name="onRead"/> is awaited after every
    /// summary read and before the next poll (to read some of the tasks, say).
    /// </summary>
    public async Task<TreeView> WatchAsync(
        string treeId, Func<TreeView, CancellationToken, Task>? onRead, WaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WaitOptions();
        var interval = options.InitialInterval;
        TreeView? previous = null;
        while (true)
        {
            var tree = await GetTreeSummaryAsync(treeId, cancellationToken).ConfigureAwait(false);
            if (onRead is not null)
            {
                await onRead(tree, cancellationToken).ConfigureAwait(false);
            }
            if (tree.IsFinished)
            {
                return tree;
            }
            // Back off while nothing moves; poll fast again after a change, when more changes tend to follow.
            var changed = previous is null || previous.Status != tree.Status || previous.Counts != tree.Counts || previous.Run != tree.Run;
            interval = changed
                ? options.InitialInterval
                : TimeSpan.FromTicks(Math.Min(options.MaxInterval.Ticks, (long)(interval.Ticks * options.BackoffFactor)));
            previous = tree;
            await Task.Delay(interval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static string WithTreeId(string json, string? treeId)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject;
        }
        catch (JsonException)
        {
            return json;
        }
        if (root is null || (treeId is null && root["tree_id"] is not null))
        {
            return json;
        }
        var id = treeId ?? TreeIds.New();
        // tree_id goes first, so the body reads as the user wrote it with the id on top.
        var rebuilt = new JsonObject { ["tree_id"] = id };
        foreach (var (name, value) in root.ToList())
        {
            if (name != "tree_id")
            {
                root.Remove(name);
                rebuilt[name] = value;
            }
        }
        return rebuilt.ToJsonString();
    }

    private async Task<SubmitResponse> SubmitBodyAsync(string body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Post, "trees", body, cancellationToken).ConfigureAwait(false);
        var submitted = await ReadAsync<SubmitResponse>(response, cancellationToken).ConfigureAwait(false);
        return submitted with { Created = response.StatusCode == HttpStatusCode.Accepted };
    }

    private Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_root, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(_options.FunctionKey))
        {
            request.Headers.Add("x-functions-key", _options.FunctionKey);
        }
        if (!string.IsNullOrEmpty(_options.BearerToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BearerToken);
        }
        if (body is not null)
        {
            // ByteArrayContent can be sent again, which the retry pipeline needs.
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = JsonContentType;
        }
        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            var value = await response.Content.ReadFromJsonAsync<T>(DurableFlowJson.Wire, cancellationToken).ConfigureAwait(false);
            return value ?? throw new DurableFlowApiException($"{(int)response.StatusCode}: the answer had an empty body");
        }
        catch (JsonException e)
        {
            throw new DurableFlowApiException($"{(int)response.StatusCode}: the answer is not the API's JSON: {e.Message}", e);
        }
    }

    private static async Task<T?> TryReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(DurableFlowJson.Wire, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<DurableFlowApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ApiError? error = null;
        try
        {
            error = JsonSerializer.Deserialize<ApiErrorResponse>(text, DurableFlowJson.Wire)?.Error;
        }
        catch (JsonException)
        {
        }
        if (error is null || string.IsNullOrEmpty(error.Code))
        {
            // Not the API's body (a proxy's page, an empty 502): keep the status and a bounded excerpt.
            var excerpt = text.Length > 200 ? text[..200] + "..." : text;
            error = new ApiError
            {
                Code = ApiErrorCodes.UnexpectedResponse,
                Message = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(excerpt.Length > 0 ? ": " + excerpt : "")}",
            };
        }
        return new DurableFlowApiException(response.StatusCode, error);
    }

    private static string TreePath(string treeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(treeId);
        return "trees/" + Uri.EscapeDataString(treeId);
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).ToList();
        return given.Count == 0
            ? ""
            : "?" + string.Join('&', given.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
    }
}
