using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DurableFlow.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DurableFlow.Tests.Api;

/// <summary>
/// Kestrel on 127.0.0.1 serving the dashboard page through <see cref="ApiDocsFunctions.Dashboard"/> and a fake
/// API with the reads the page uses: the tree's summary (<c>?view=summary</c>; any other view is refused, so the
/// page cannot lean on the full tree read), the tasks pages and the task read (see <see cref="DashboardTree"/>);
/// plus Debian's headless Chromium driven by Playwright. No browser is ever downloaded: Playwright gets
/// <c>/usr/bin/chromium</c>.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string BigTree = "big-200";
    public const string DemoTree = "demo-1";
    public const string LiveTree = "live-1";
    public const string RunningTree = "running-1";
    public const string FanOutTree = "fanout-5000";
    public const string HugeTree = "huge-20000";
    public const string RanTree = "ran-1";
    public const string BusyTree = "busy-3000";

    /// <summary>The leaves of <see cref="FanOutTree"/>, between its root and its join.</summary>
    public const int FanOutLeaves = 5000;

    /// <summary><see cref="HugeTree"/> is this many layers of <see cref="HugeWidth"/> tasks.</summary>
    public const int HugeLayers = 20, HugeWidth = 1000;

    /// <summary><see cref="BusyTree"/>'s tasks; every summary read finds <see cref="BusyStep"/> more completed.</summary>
    public const int BusyTasks = 3000, BusyStep = 25;

    private static readonly Lazy<DashboardTree> FanOutView = new(FanOut);
    private static readonly Lazy<DashboardTree> HugeView = new(Huge);

    /// <summary>GET /api/trees/live-1 answers in_progress this many times, then completed.</summary>
    public const int LiveInProgressAnswers = 2;

    private const string Created = "2026-03-01T09:00:00.000Z";

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Every API request: "METHOD path", with the x-functions-key it carried and its query string.</summary>
    public ConcurrentQueue<(string Request, string? Key, string Query)> Requests { get; } = new();

    public int Count(string request) => Requests.Count(r => r.Request == request);

    /// <summary>The JSON body of the last rerun request.</summary>
    public string? LastRerunBody { get; private set; }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api/trees", StringComparison.Ordinal))
            {
                Requests.Enqueue(($"{context.Request.Method} {context.Request.Path}", context.Request.Headers["x-functions-key"].FirstOrDefault(),
                    context.Request.QueryString.ToString()));
            }

            await next(context);
        });
        app.MapGet("/api/dashboard", (HttpContext context) => Execute(context, ApiDocsFunctions.Dashboard(context.Request)));
        app.MapGet("/api/trees", (HttpContext context) => Execute(context, new ApiResult(200, new TreeListResponse(
            [Summary(DemoTree, "failed", 7, 6.0 / 7), Summary(LiveTree, "in_progress", 2, 0), Summary(RunningTree, "in_progress", 3, 1.0 / 3), Summary(BigTree, "completed", 200, 1),
                Summary(FanOutTree, "completed", FanOutLeaves + 2, 1), Summary(HugeTree, "failed", HugeLayers * HugeWidth, 1), Summary(RanTree, "completed", 2, 1)],
            null, null))));
        app.MapGet("/api/trees/{treeId}", (HttpContext context, string treeId) =>
        {
            if (context.Request.Query["view"].ToString() != "summary")
            {
                return Execute(context, ApiResult.BadRequest("this fake serves the summary view only: the dashboard must not read the whole tree", "view"));
            }

            // The live and busy trees move on with each summary read.
            return Find(treeId, Count($"GET {DashboardTree.PathOf(treeId)}")) is { } tree
                ? context.Response.WriteAsJsonAsync(tree.Summary())
                : Execute(context, ApiResult.NotFound($"there is no tree '{treeId}'"));
        });
        app.MapGet("/api/trees/{treeId}/tasks", (HttpContext context, string treeId) =>
        {
            if (Find(treeId, Count($"GET {DashboardTree.PathOf(treeId)}")) is not { } tree)
            {
                return Execute(context, ApiResult.NotFound($"there is no tree '{treeId}'"));
            }

            var (error, page) = tree.Page(context.Request.Query);
            return error is not null ? Execute(context, error) : context.Response.WriteAsJsonAsync(page);
        });
        app.MapGet("/api/trees/{treeId}/tasks/{taskId}", (HttpContext context, string treeId, string taskId) =>
            Find(treeId, Count($"GET {DashboardTree.PathOf(treeId)}"))?.Task(taskId) is { } task
                ? context.Response.WriteAsJsonAsync(task.ToJson(withResult: true))
                : Execute(context, ApiResult.NotFound($"there is no task '{taskId}' in tree '{treeId}'")));
        app.MapPost("/api/trees/{treeId}/cancel", (HttpContext context, string treeId) => Execute(context, treeId == RunningTree
            ? new ApiResult(202, new CancelResponse(treeId, "in_progress", true, TreeLinks.For(treeId)), TreeLinks.PathOf(treeId))
            : ApiResult.Error(409, ApiErrorCodes.NotCancellable, $"tree '{treeId}' has already ended")));
        app.MapPost("/api/trees/{treeId}/rerun", async (HttpContext context, string treeId) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            LastRerunBody = body.RootElement.GetRawText();
            var named = body.RootElement.TryGetProperty("tasks", out var tasks) ? tasks.EnumerateArray().Select(t => t.GetString()!).ToList() : [];
            await Execute(context, treeId switch
            {
                DemoTree => new ApiResult(202, new RerunResponse(treeId, "pending", 2, ["b-fetch", "d-report", .. named], 5, TreeLinks.For(treeId)), TreeLinks.PathOf(treeId)),
                BigTree when named.Count > 0 => new ApiResult(202, new RerunResponse(treeId, "pending", 2, named, 200 - named.Count, TreeLinks.For(treeId)), TreeLinks.PathOf(treeId)),
                BigTree => ApiResult.Error(409, ApiErrorCodes.NothingToRerun, $"every task of tree '{treeId}' completed"),
                _ => ApiResult.Error(409, ApiErrorCodes.TreeRunning, $"tree '{treeId}' is still running"),
            });
        });
        await app.StartAsync();
        _app = app;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>The tree as of the <paramref name="summaryReads"/>-th summary read (the tasks pages show the state of the last summary).</summary>
    private static DashboardTree? Find(string treeId, int summaryReads) => treeId switch
    {
        DemoTree => Demo(),
        LiveTree => Live(summaryReads > LiveInProgressAnswers),
        RunningTree => Running(),
        BigTree => Big(),
        FanOutTree => FanOutView.Value,
        HugeTree => HugeView.Value,
        RanTree => Ran(),
        BusyTree => Busy(summaryReads),
        _ => null,
    };

    private static Task Execute(HttpContext context, IActionResult result) =>
        result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

    private static TreeSummary Summary(string id, string status, int tasks, double progress) =>
        new(id, "anonymous", status, progress, new CountsView(0, 0, 0, 0, 0, 0), tasks, Created, null, 1, TreeLinks.For(id));

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static DashboardTask Record(string id, string status, string[]? deps = null, string[]? optional = null, string? result = null, string? error = null,
        int attempts = 1, string? started = "2026-03-01T09:00:01.000Z", string? completed = null) => new()
        {
            Id = id,
            Name = id.StartsWith('b') ? "rest_executor" : "system_info_executor",
            Dependencies = [.. (deps ?? []).Select(d => new DashboardDependency(d, true)), .. (optional ?? []).Select(d => new DashboardDependency(d, false))],
            Inputs = Json($$"""{"resource": "cpu", "label": "{{id}}"}"""),
            Status = status,
            Result = result is null ? null : Json(result),
            Error = error,
            Progress = status is "pending" or "in_progress" ? 0 : 1,
            Attempts = attempts,
            CreatedAt = Created,
            StartedAt = status == "pending" ? null : started,
            CompletedAt = completed,
        };

    /// <summary>Seven tasks in every status; 7 dependencies, 2 of them optional.</summary>
    public static DashboardTree Demo() => new(DemoTree, "failed",
    [
        Record("a-cpu", "completed", result: """{"cpu_count": 8, "model": "<b>not bold</b>"}""", completed: "2026-03-01T09:00:02.250Z"),
        Record("b-fetch", "failed", error: "HTTP 500 from <script>alert(1)</script>", attempts: 3, completed: "2026-03-01T09:00:04.000Z"),
        Record("c-merge", "completed", ["a-cpu"], ["b-fetch"], result: """{"merged": true}""", completed: "2026-03-01T09:00:05.000Z"),
        Record("d-report", "skipped", ["b-fetch"], attempts: 0, started: null, error: "required dependency 'b-fetch' failed"),
        Record("e-slow", "in_progress", ["c-merge"]),
        Record("f-later", "pending", ["e-slow"], ["d-report"], attempts: 0),
        Record("g-stop", "cancelled", ["a-cpu"], attempts: 0, started: null, error: "the tree was cancelled"),
    ]);

    public static DashboardTree Live(bool done) => new(LiveTree, done ? "completed" : "in_progress",
    [
        Record("x", done ? "completed" : "in_progress", result: done ? """{"ok": 1}""" : null, completed: done ? "2026-03-01T09:00:03.000Z" : null),
        Record("y", done ? "completed" : "pending", ["x"], attempts: done ? 1 : 0, completed: done ? "2026-03-01T09:00:04.000Z" : null),
    ]);

    public static DashboardTree Running() => new(RunningTree, "in_progress",
    [
        Record("r1", "completed", completed: "2026-03-01T09:00:02.000Z"),
        Record("r2", "in_progress", ["r1"]),
        Record("r3", "pending", ["r2"], attempts: 0),
    ]);

    /// <summary>200 tasks: a chain every 10 tasks plus cross links (every fifth optional).</summary>
    public static DashboardTree Big() => new(BigTree, "completed", [.. Enumerable.Range(0, 200).Select(i =>
    {
        var deps = new List<string>();
        var optional = new List<string>();
        if (i >= 10)
        {
            deps.Add($"t{i - 10}");
            var cross = i * 31 % (i - 5);
            if (cross != i - 10)
            {
                (i % 5 == 0 ? optional : deps).Add($"t{cross}");
            }
        }

        return Record($"t{i}", "completed", [.. deps], [.. optional], result: "{}", completed: "2026-03-01T09:00:02.000Z");
    })]);

    /// <summary>A root, 5,000 no-op leaves released together (each ended 28.4 s after its release: queue
    /// time, not run time) and a join; all completed.</summary>
    public static DashboardTree FanOut() => new(FanOutTree, "completed",
    [
        Record("root", "completed", completed: "2026-03-01T09:00:01.000Z", started: "2026-03-01T09:00:00.500Z"),
        .. Enumerable.Range(0, FanOutLeaves).Select(i => Record($"leaf-{i}", "completed", ["root"], completed: "2026-03-01T09:00:29.400Z")),
        Record("join", "completed", [.. Enumerable.Range(0, FanOutLeaves).Select(i => $"leaf-{i}")], completed: "2026-03-01T09:00:30.000Z"),
    ]);

    /// <summary>20 layers of 1,000: each task needs the one above it, every tenth also (optionally) another;
    /// four tasks of layer 6 failed and the chains below them were skipped.</summary>
    public static DashboardTree Huge() => new(HugeTree, "failed", [.. Enumerable.Range(0, HugeLayers).SelectMany(layer => Enumerable.Range(0, HugeWidth).Select(i =>
    {
        string[] deps = layer == 0 ? [] : [HugeId(layer - 1, i)];
        string[] optional = layer > 0 && i % 10 == 0 ? [HugeId(layer - 1, (i * 37 + 1) % HugeWidth)] : [];
        var broken = i % 250 == 0;
        var status = broken && layer == 5 ? "failed" : broken && layer > 5 ? "skipped" : "completed";
        return Record(HugeId(layer, i), status, deps, optional, error: status == "failed" ? "boom" : null, attempts: status == "skipped" ? 0 : 1,
            started: status == "skipped" ? null : "2026-03-01T09:00:01.000Z", completed: "2026-03-01T09:00:02.000Z");
    }))]);

    public static string HugeId(int layer, int i) => $"s{layer:00}-{i:000}";

    /// <summary>A running fan-out of <see cref="BusyTasks"/> whose counts change at every summary read: the page must not read every task each time.</summary>
    public static DashboardTree Busy(int summaryReads) => new(BusyTree, "in_progress",
        [.. Enumerable.Range(0, BusyTasks).Select(i => Record($"w{i:0000}", i < summaryReads * BusyStep ? "completed" : "in_progress",
            completed: i < summaryReads * BusyStep ? "2026-03-01T09:00:02.000Z" : null))]);

    /// <summary>A tree whose first record carries ran_at / ran_until (when the executor itself ran) and whose second does not.</summary>
    public static DashboardTree Ran() => new(RanTree, "completed",
    [
        new DashboardTask
        {
            Id = "q1", Name = "noop", Inputs = Json("{}"), Status = "completed", Progress = 1, Attempts = 1, CreatedAt = Created,
            StartedAt = "2026-03-01T09:00:01.000Z", CompletedAt = "2026-03-01T09:00:29.400Z", RanAt = "2026-03-01T09:00:28.000Z", RanUntil = "2026-03-01T09:00:28.012Z",
        },
        new DashboardTask
        {
            Id = "q2", Name = "noop", Dependencies = [new DashboardDependency("q1", true)], Inputs = Json("{}"), Status = "completed", Progress = 1, Attempts = 1,
            CreatedAt = Created, StartedAt = "2026-03-01T09:00:29.500Z", CompletedAt = "2026-03-01T09:00:30.000Z",
        },
    ]);
}

/// <summary>The dashboard in a real (headless) browser.</summary>
public sealed partial class DashboardTests(DashboardFixture server, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private static readonly Dictionary<string, string> Fills = new()
    {
        ["pending"] = "rgb(209, 213, 219)",
        ["in_progress"] = "rgb(96, 165, 250)",
        ["completed"] = "rgb(74, 222, 128)",
        ["failed"] = "rgb(248, 113, 113)",
        ["skipped"] = "rgb(251, 191, 36)",
        ["cancelled"] = "rgb(75, 85, 99)",
    };

    private async Task<IPage> OpenAsync(string query = "", string? tree = null)
    {
        var context = await server.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        await page.GotoAsync($"{server.BaseUrl}/api/dashboard{query}" + (tree is null ? "" : "#tree=" + tree));
        return page;
    }

    private static Task<string> FillAsync(IPage page, string taskId) =>
        page.EvalOnSelectorAsync<string>($"#graph .node[data-task-id='{taskId}'] rect", "r => getComputedStyle(r).fill");

    [Fact]
    public async Task The_page_is_served_with_a_strict_content_security_policy_and_nothing_external()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await ApiDocsFunctions.Dashboard(context.Request).ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.StartsWith("text/html", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", context.Response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        var html = ApiAssets.Text(ApiAssets.DashboardHtml);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_shows_badges_and_the_graph_shows_every_task_and_dependency_coloured_by_status()
    {
        var before = server.Requests.Count;
        var page = await OpenAsync("?code=secret-key", DashboardFixture.DemoTree);
        try
        {
            await page.Locator("#trees .badge").Nth(6).WaitForAsync();
            var badges = await page.Locator("#trees .badge").EvaluateAllAsync<string[]>("bs => bs.map(b => b.dataset.status)");
            Assert.Equal(["failed", "in_progress", "in_progress", "completed", "completed", "failed", "completed"], badges);

            var demo = DashboardFixture.Demo();
            await page.Locator("#graph .node").Nth(demo.Tasks!.Count - 1).WaitForAsync();
            Assert.Equal(demo.Tasks!.Count, await page.Locator("#graph .node").CountAsync());
            Assert.Equal(demo.Tasks.Sum(t => t.Dependencies.Count), await page.Locator("#graph path.edge").CountAsync());
            var dashed = await page.Locator("#graph path.edge[stroke-dasharray]").EvaluateAllAsync<string[]>("es => es.map(e => e.dataset.from + '>' + e.dataset.to)");
            Assert.Equal(["b-fetch>c-merge", "d-report>f-later"], dashed.Order(StringComparer.Ordinal));
            Assert.Equal("none", await page.EvalOnSelectorAsync<string>("path.edge[data-from='a-cpu'][data-to='c-merge']", "e => getComputedStyle(e).strokeDasharray"));

            foreach (var task in demo.Tasks)
            {
                Assert.Equal(task.Status, await page.GetAttributeAsync($"#graph .node[data-task-id='{task.Id}']", "data-status"));
                Assert.Equal(Fills[task.Status], await FillAsync(page, task.Id));
            }

            Assert.Contains("1.25 s", await page.Locator("#graph .node[data-task-id='a-cpu']").TextContentAsync(), StringComparison.Ordinal);
            Assert.Equal("failed", await page.GetAttributeAsync("#tree-status", "data-status"));
            Assert.True(await page.Locator("#cancel").IsDisabledAsync());
            Assert.All(server.Requests.Skip(before).Where(r => r.Request.StartsWith("GET /api/trees", StringComparison.Ordinal)), r => Assert.Equal("secret-key", r.Key));

            // The page read the summary and the tasks pages only (1,000 a page, no results), never the whole tree.
            var reads = server.Requests.Skip(before).Where(r => r.Request.StartsWith("GET /api/trees/", StringComparison.Ordinal)).ToList();
            Assert.All(reads.Where(r => r.Request == $"GET /api/trees/{DashboardFixture.DemoTree}"), r => Assert.Equal("?view=summary", r.Query));
            Assert.Equal(["?limit=1000"], reads.Where(r => r.Request == $"GET /api/trees/{DashboardFixture.DemoTree}/tasks").Select(r => r.Query).Distinct());

            await page.ClickAsync("#graph .node[data-task-id='b-fetch']");
            Assert.Equal("HTTP 500 from <script>alert(1)</script>", await page.TextContentAsync("#detail-error"));
            await Assertions.Expect(page.Locator("#detail")).ToHaveAttributeAsync("data-loaded", "true");
            Assert.True(await page.Locator("#detail-result-box").IsHiddenAsync());
            Assert.Equal(0, await page.Locator("#detail script").CountAsync());
            Assert.Equal("3", await page.TextContentAsync("#detail dd[data-field='attempts']"));

            // The result is not in the tasks pages: it comes from the task's own read.
            var taskReads = server.Count($"GET /api/trees/{DashboardFixture.DemoTree}/tasks/a-cpu");
            await page.ClickAsync("#graph .node[data-task-id='a-cpu']");
            await Assertions.Expect(page.Locator("#detail-result-box")).ToBeVisibleAsync();
            Assert.Equal(taskReads + 1, server.Count($"GET /api/trees/{DashboardFixture.DemoTree}/tasks/a-cpu"));
            using var result = JsonDocument.Parse((await page.TextContentAsync("#detail-result"))!);
            Assert.Equal("<b>not bold</b>", result.RootElement.GetProperty("model").GetString());
            Assert.Equal(0, await page.Locator("#detail b").CountAsync());
            Assert.Contains("\"resource\": \"cpu\"", await page.TextContentAsync("#detail-inputs"), StringComparison.Ordinal);

            await page.ClickAsync("#graph .node[data-task-id='c-merge']"); // for the screenshot
            await Assertions.Expect(page.Locator("#detail-result-box")).ToBeVisibleAsync();
            var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(artifacts);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "dashboard.png"), FullPage = true });
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Live_refresh_updates_nodes_and_stops_polling_when_the_tree_ends()
    {
        var page = await OpenAsync(tree: DashboardFixture.LiveTree);
        try
        {
            var x = page.Locator("#graph .node[data-task-id='x']");
            await Assertions.Expect(x).ToHaveAttributeAsync("data-status", "in_progress");
            Assert.Equal(Fills["in_progress"], await FillAsync(page, "x"));
            Assert.False(await page.Locator("#cancel").IsDisabledAsync());

            await Assertions.Expect(x).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 10_000 });
            Assert.Equal(Fills["completed"], await FillAsync(page, "x"));
            await Assertions.Expect(page.Locator("#graph .node[data-task-id='y']")).ToHaveAttributeAsync("data-status", "completed");
            await Assertions.Expect(page.Locator("#tree-status")).ToHaveAttributeAsync("data-status", "completed");
            Assert.Equal(1.0, await page.EvalOnSelectorAsync<double>("#progress", "p => p.value"));
            Assert.True(await page.Locator("#cancel").IsDisabledAsync());

            var polls = server.Count($"GET /api/trees/{DashboardFixture.LiveTree}");
            Assert.Equal(DashboardFixture.LiveInProgressAnswers + 1, polls);
            // The tasks were read when the counts changed: at the first summary and at the last, not at the one in between.
            Assert.Equal(2, server.Count($"GET /api/trees/{DashboardFixture.LiveTree}/tasks"));
            await Task.Delay(2500);
            Assert.Equal(polls, server.Count($"GET /api/trees/{DashboardFixture.LiveTree}"));
            Assert.Equal(2, server.Count($"GET /api/trees/{DashboardFixture.LiveTree}/tasks"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_cancel_button_posts_cancel_and_shows_the_answer()
    {
        var page = await OpenAsync(tree: DashboardFixture.RunningTree);
        try
        {
            await Assertions.Expect(page.Locator("#tree-status")).ToHaveAttributeAsync("data-status", "in_progress");
            await page.ClickAsync("#cancel");

            await Assertions.Expect(page.Locator("#cancel-result")).ToHaveTextAsync("202: cancel requested");
            Assert.Equal(1, server.Count($"POST /api/trees/{DashboardFixture.RunningTree}/cancel"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_rerun_button_is_offered_for_an_ended_tree_and_posts_the_current_run()
    {
        var page = await OpenAsync(tree: DashboardFixture.DemoTree);
        try
        {
            await Assertions.Expect(page.Locator("#tree-status")).ToHaveAttributeAsync("data-status", "failed");
            Assert.False(await page.Locator("#rerun").IsDisabledAsync());
            await page.ClickAsync("#rerun");

            await Assertions.Expect(page.Locator("#cancel-result")).ToHaveTextAsync("202: run 2 started");
            Assert.Equal(1, server.Count($"POST /api/trees/{DashboardFixture.DemoTree}/rerun"));
            Assert.Equal("{\"expected_run\":1}", server.LastRerunBody);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_200_task_tree_renders_quickly_without_overlapping_nodes()
    {
        var big = DashboardFixture.Big();
        var clock = Stopwatch.StartNew();
        var page = await OpenAsync(tree: DashboardFixture.BigTree);
        try
        {
            await page.Locator("#graph .node").Nth(199).WaitForAsync();
            clock.Stop();
            var sinceNavigation = await page.EvaluateAsync<double>("performance.now()");
            // The whole includes a cold browser context and a cold server (this machine is shared): the page's own part is what counts.
            Assert.True(sinceNavigation < 4000 && clock.Elapsed < TimeSpan.FromSeconds(10), $"opening the page and rendering took {clock.Elapsed} ({sinceNavigation:F0} ms since navigation)");
            Assert.Equal(200, await page.Locator("#graph .node").CountAsync());
            Assert.Equal(big.Tasks!.Sum(t => t.Dependencies.Count), await page.Locator("#graph path.edge").CountAsync());

            var boxes = await page.Locator("#graph .node rect").EvaluateAllAsync<double[][]>(
                "rs => rs.map(r => { const b = r.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; })");
            Assert.Equal(200, boxes.Length);
            Assert.All(boxes, b => Assert.True(b[2] - b[0] >= 139 && b[3] - b[1] >= 43, "a node is ~140x44"));
            for (var i = 0; i < boxes.Length; i++)
            {
                for (var j = i + 1; j < boxes.Length; j++)
                {
                    var (a, b) = (boxes[i], boxes[j]);
                    var overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
                    Assert.False(overlap, $"nodes {big.Tasks![i].Id} and {big.Tasks![j].Id} overlap");
                }
            }

            // Every edge goes down: a dependency sits in a higher layer than its dependent.
            var byId = big.Tasks!.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => boxes[p.i]);
            Assert.All(big.Tasks!, t => Assert.All(t.Dependencies, d => Assert.True(byId[d.Id][3] <= byId[t.Id][1], $"{d.Id} above {t.Id}")));

            // The SVG is sized to its content, inside a scrollable box.
            var (svgWidth, boxWidth) = (await page.EvalOnSelectorAsync<double>("#graph", "s => s.getBoundingClientRect().width"),
                await page.EvalOnSelectorAsync<double>("#graph-box", "b => b.clientWidth"));
            Assert.True(svgWidth >= boxes.Max(b => b[2]) - boxes.Min(b => b[0]));
            Assert.Equal("auto", await page.EvalOnSelectorAsync<string>("#graph-box", "b => getComputedStyle(b).overflow"));
            Assert.True(boxWidth > 0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
