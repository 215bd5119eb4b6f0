using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace DurableFlow.Tests.Api;

/// <summary>The dashboard with thousands of tasks: wide layers as grids, drawing by viewport, paging of the
/// task list, the Re-run buttons only when something can be re-run, honest time labels. Structure is
/// asserted, never time; the render figures go to the test output and <c>artifacts/dashboard-timings.txt</c>.</summary>
public sealed partial class DashboardTests
{
    private const int Cell = 14, GridCols = 60;

    private sealed record RenderStats(double? FirstRenderMs, double FetchMs, double LayoutMs, double DrawMs, int Drawn, int Tasks);

    private async Task<RenderStats> StatsAsync(IPage page, string what)
    {
        var json = await page.EvaluateAsync<JsonElement>("window.durableFlowDashboard.stats()");
        var stats = new RenderStats(json.GetProperty("firstRenderMs").GetDouble(), json.GetProperty("fetchMs").GetDouble(), json.GetProperty("layoutMs").GetDouble(), json.GetProperty("drawMs").GetDouble(),
            json.GetProperty("drawn").GetInt32(), json.GetProperty("tasks").GetInt32());
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{what}: {stats.Tasks} tasks, first render {stats.FirstRenderMs:F0} ms after navigation, {stats.FetchMs:F0} ms of it from asking for the tree to drawn (layout {stats.LayoutMs:F0} ms, draw {stats.DrawMs:F0} ms), {stats.Drawn} SVG elements drawn");
        output.WriteLine(line);
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.AppendAllTextAsync(Path.Combine(artifacts, "dashboard-timings.txt"), line + Environment.NewLine);
        return stats;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, name) });
    }

    private static Task<int> DrawnAsync(IPage page) => page.EvaluateAsync<int>("document.querySelectorAll('#graph *').length");

    [Fact]
    public async Task A_5000_task_fan_out_is_one_grid_of_cells_not_a_row_of_5000_boxes()
    {
        var page = await OpenAsync(tree: DashboardFixture.FanOutTree);
        try
        {
            var group = page.Locator("#graph .group[data-layer='1']");
            await group.WaitForAsync(new() { Timeout = 30_000 });
            var stats = await StatsAsync(page, "5,000-task fan-out");
            Assert.Equal(DashboardFixture.FanOutLeaves + 2, stats.Tasks);

            // One group of 5,000 with its status counts; only the root and the join are boxes.
            Assert.Equal(DashboardFixture.FanOutLeaves.ToString(CultureInfo.InvariantCulture), await group.GetAttributeAsync("data-count"));
            Assert.Equal(DashboardFixture.FanOutLeaves.ToString(CultureInfo.InvariantCulture), await group.GetAttributeAsync("data-completed"));
            Assert.Contains("5,000 tasks", await group.Locator(".line-title").TextContentAsync(), StringComparison.Ordinal);
            const string Edges = "es => es.map(e => e.dataset.from + '>' + e.dataset.to + ':' + e.dataset.count)";
            Assert.Equal(["root"], await page.Locator("#graph .node").EvaluateAllAsync<string[]>("ns => ns.map(n => n.dataset.taskId)"));
            Assert.Equal(["root>group:1:5000"], await page.Locator("#graph path.edge").EvaluateAllAsync<string[]>(Edges));

            // Not wider than the viewport; a bounded number of SVG elements; drawn by viewport.
            Assert.Equal("true", await page.GetAttributeAsync("#graph", "data-virtualized"));
            var (scrollWidth, clientWidth) = (await page.EvalOnSelectorAsync<int>("#graph-box", "b => b.scrollWidth"), await page.EvalOnSelectorAsync<int>("#graph-box", "b => b.clientWidth"));
            Assert.True(scrollWidth <= clientWidth, $"the graph scrolls sideways: {scrollWidth} > {clientWidth}");
            var drawn = await DrawnAsync(page);
            Assert.True(drawn < 500, $"{drawn} SVG elements for 5,002 tasks");
            Assert.Equal(drawn, stats.Drawn);
            Assert.True(await page.Locator("#rerun").IsHiddenAsync(), "every task completed: nothing for the default rerun");
            await ScreenshotAsync(page, "dashboard-fanout.png");

            // Below the grid (drawn once scrolled to): the join, and the 5,000 dependencies on it as one bundled edge.
            await page.EvalOnSelectorAsync("#graph-box", "b => { b.scrollTop = b.scrollHeight; }");
            await page.Locator("#graph .node[data-task-id='join']").WaitForAsync();
            Assert.Contains("group:1>join:5000", await page.Locator("#graph path.edge").EvaluateAllAsync<string[]>(Edges));
            await page.EvalOnSelectorAsync("#graph-box", "b => { b.scrollTop = 0; }");

            // A cell is a task: hover names it, click selects it (detail, highlight, its page of the list).
            var cells = group.Locator(".cells"); // its bounding box starts at the grid's top left corner
            await cells.HoverAsync(new() { Position = new() { X = (3 * Cell) + 5, Y = (2 * Cell) + 5 } });
            await Assertions.Expect(page.Locator("#graph-tip")).ToHaveTextAsync("leaf-123 · completed · released → ended 28.4 s");
            await cells.ClickAsync(new() { Position = new() { X = (3 * Cell) + 5, Y = (2 * Cell) + 5 } });
            await Assertions.Expect(page.Locator("#detail")).ToHaveAttributeAsync("data-task-id", "leaf-123");
            Assert.Equal("28.4 s", await page.TextContentAsync("#detail dd[data-field='released → ended']"));
            Assert.Equal(1, await page.Locator("#graph .cell-selected[data-task-id='leaf-123']").CountAsync());
            await Assertions.Expect(page.Locator("#tasks tr[aria-selected='true']")).ToHaveAttributeAsync("data-task-id", "leaf-123");
            Assert.Equal("3", await page.GetAttributeAsync("#tasks-page", "data-page"));
            Assert.False(await page.Locator("#rerun-task").IsHiddenAsync(), "a completed task can be re-run by name");

            // The group folds to its header (and opens again from the keyboard).
            await group.Locator(".group-head").ClickAsync();
            await Assertions.Expect(group).ToHaveAttributeAsync("data-collapsed", "true");
            Assert.Equal(0, await group.Locator(".cell").CountAsync());
            Assert.True(await page.EvalOnSelectorAsync<int>("#graph", "s => s.height.baseVal.value") < 400);
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(group).ToHaveAttributeAsync("data-collapsed", "false");
            Assert.True(await group.Locator(".cell").CountAsync() > 0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_20000_task_tree_draws_only_the_layers_near_the_viewport_and_scrolls_to_the_rest()
    {
        var page = await OpenAsync(tree: DashboardFixture.HugeTree);
        try
        {
            await page.Locator("#graph .group[data-layer='0']").WaitForAsync(new() { Timeout = 30_000 });
            var stats = await StatsAsync(page, "20,000-task tree (20 layers of 1,000)");
            Assert.Equal(DashboardFixture.HugeLayers * DashboardFixture.HugeWidth, stats.Tasks);
            // Read through the tasks pages, following every continuation, short pages included (pages end at a
            // shard's end: 1,000 + 500 per 1,500 tasks), each page once.
            var pages = server.Requests.Where(r => r.Request == $"GET /api/trees/{DashboardFixture.HugeTree}/tasks").Select(r => r.Query).ToList();
            var expected = (int)Math.Ceiling(20_000.0 / DashboardTree.Shard) * 2 - 1;
            Assert.Equal(expected, pages.Count);
            Assert.Equal(pages.Count, pages.Distinct().Count());
            Assert.All(pages, q => Assert.StartsWith("?limit=1000", q, StringComparison.Ordinal));
            Assert.Equal("true", await page.GetAttributeAsync("#graph", "data-virtualized"));
            var groups = await page.Locator("#graph .group").CountAsync();
            Assert.InRange(groups, 1, DashboardFixture.HugeLayers / 2);
            Assert.Equal(0, await page.Locator("#graph .node").CountAsync());
            var drawn = await DrawnAsync(page);
            Assert.True(drawn < 1500, $"{drawn} SVG elements for 20,000 tasks");
            Assert.False(await page.Locator("#rerun").IsHiddenAsync(), "failed and skipped tasks can be re-run");
            Assert.Contains("the 60 tasks that did not complete", await page.GetAttributeAsync("#rerun", "title"), StringComparison.Ordinal); // 4 failed, 56 skipped
            await ScreenshotAsync(page, "dashboard-huge.png");

            // Scrolled to the bottom: the last layers are drawn, the first ones no longer.
            await page.EvalOnSelectorAsync("#graph-box", "b => { b.scrollTop = b.scrollHeight; }");
            var last = page.Locator($"#graph .group[data-layer='{DashboardFixture.HugeLayers - 1}']");
            await last.WaitForAsync();
            Assert.Equal(0, await page.Locator("#graph .group[data-layer='0']").CountAsync());
            Assert.Equal("4", await last.GetAttributeAsync("data-skipped"));
            Assert.True(await DrawnAsync(page) < 1500);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_big_running_tree_polls_its_summary_and_reads_its_tasks_at_most_every_5_seconds()
    {
        var page = await OpenAsync(tree: DashboardFixture.BusyTree);
        try
        {
            var group = page.Locator("#graph .group[data-layer='0']");
            await group.WaitForAsync(new() { Timeout = 30_000 });
            string Summaries() => $"GET /api/trees/{DashboardFixture.BusyTree}";
            int Loads() => server.Requests.Count(r => r.Request == $"GET /api/trees/{DashboardFixture.BusyTree}/tasks" && !r.Query.Contains("continuation", StringComparison.Ordinal));
            Assert.Equal(1, Loads());
            var polls = server.Count(Summaries());

            // The counts change at every summary read; the header follows each, the tasks at most every 5 s.
            await Task.Delay(3500);
            Assert.True(server.Count(Summaries()) >= polls + 2, $"{server.Count(Summaries()) - polls} summary reads in 3.5 s");
            Assert.Equal(1, Loads());
            var completed = int.Parse((await page.TextContentAsync("#progress-text"))!.Split(" · ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(completed >= 3 * DashboardFixture.BusyStep, $"the header shows {completed} completed");

            await Assertions.Expect(group).Not.ToHaveAttributeAsync("data-completed", DashboardFixture.BusyStep.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 10_000 });
            Assert.Equal(2, Loads());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_task_list_pages_filters_and_shows_a_task_in_the_graph()
    {
        var page = await OpenAsync(tree: DashboardFixture.HugeTree);
        try
        {
            var rows = page.Locator("#tasks tbody tr");
            await Assertions.Expect(page.Locator("#tasks-page")).ToHaveTextAsync("1–50 of 20,000 · page 1 of 400", new() { Timeout = 30_000 });
            Assert.Equal(50, await rows.CountAsync());
            Assert.Equal(DashboardFixture.HugeId(0, 0), await rows.First.GetAttributeAsync("data-task-id"));
            Assert.True(await page.Locator("#tasks-prev").IsDisabledAsync());

            await page.ClickAsync("#tasks-next");
            await Assertions.Expect(page.Locator("#tasks-page")).ToHaveTextAsync("51–100 of 20,000 · page 2 of 400");
            Assert.Equal(DashboardFixture.HugeId(0, 50), await rows.First.GetAttributeAsync("data-task-id"));
            await page.ClickAsync("#tasks-prev");
            await Assertions.Expect(page.Locator("#tasks-page")).ToHaveTextAsync("1–50 of 20,000 · page 1 of 400");

            await page.SelectOptionAsync("#task-status", "failed");
            await Assertions.Expect(page.Locator("#tasks-page")).ToHaveTextAsync("1–4 of 4 · page 1 of 1");
            Assert.Equal(["s05-000", "s05-250", "s05-500", "s05-750"], await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.taskId)"));
            Assert.True(await page.Locator("#tasks-next").IsDisabledAsync());

            await page.SelectOptionAsync("#task-status", "");
            await page.FillAsync("#task-search", "s19-99");
            await Assertions.Expect(page.Locator("#tasks-page")).ToHaveTextAsync("1–10 of 10 · page 1 of 1");

            // A row's id shows the task: detail, and the graph scrolled to its cell in layer 20.
            await page.ClickAsync("#tasks button:text-is('s19-990')");
            await Assertions.Expect(page.Locator("#detail")).ToHaveAttributeAsync("data-task-id", "s19-990");
            await page.Locator("#graph .cell-selected[data-task-id='s19-990']").WaitForAsync();
            Assert.Equal(0, await page.Locator("#graph .group[data-layer='0']").CountAsync());
            Assert.Equal("s19-990", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Rerun_is_offered_only_when_something_can_be_rerun_and_a_completed_task_by_name()
    {
        var page = await OpenAsync(tree: DashboardFixture.BigTree);
        try
        {
            // Every task completed: no default rerun; a selected task can be re-run with what is downstream.
            await Assertions.Expect(page.Locator("#tree-status")).ToHaveAttributeAsync("data-status", "completed");
            await page.Locator("#graph .node").Nth(199).WaitForAsync();
            Assert.True(await page.Locator("#rerun").IsHiddenAsync());
            Assert.True(await page.Locator("#rerun-task").IsHiddenAsync());
            await page.ClickAsync("#graph .node[data-task-id='t5']");
            await Assertions.Expect(page.Locator("#rerun-task")).ToHaveTextAsync("Re-run t5 and downstream");
            await page.ClickAsync("#rerun-task");
            await Assertions.Expect(page.Locator("#cancel-result")).ToHaveTextAsync("202: run 2 started");
            Assert.Equal("{\"expected_run\":1,\"tasks\":[\"t5\"]}", server.LastRerunBody);
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        page = await OpenAsync(tree: DashboardFixture.DemoTree);
        try
        {
            // One task failed: the default rerun is there; a failed task is not offered by name, a completed one is.
            await Assertions.Expect(page.Locator("#tree-status")).ToHaveAttributeAsync("data-status", "failed");
            Assert.False(await page.Locator("#rerun").IsHiddenAsync());
            await page.ClickAsync("#graph .node[data-task-id='b-fetch']");
            Assert.True(await page.Locator("#rerun-task").IsHiddenAsync());
            await page.ClickAsync("#graph .node[data-task-id='a-cpu']");
            Assert.False(await page.Locator("#rerun-task").IsHiddenAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        page = await OpenAsync(tree: DashboardFixture.RunningTree);
        try
        {
            // Still running: neither.
            await Assertions.Expect(page.Locator("#tree-status")).ToHaveAttributeAsync("data-status", "in_progress");
            await page.ClickAsync("#graph .node[data-task-id='r1']");
            Assert.True(await page.Locator("#rerun").IsHiddenAsync());
            Assert.True(await page.Locator("#rerun-task").IsHiddenAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Task_times_say_released_to_ended_unless_the_record_says_when_the_executor_ran()
    {
        var page = await OpenAsync(tree: DashboardFixture.RanTree);
        try
        {
            var q1 = page.Locator("#graph .node[data-task-id='q1']");
            await q1.WaitForAsync();
            Assert.Contains("ran 12 ms", await q1.TextContentAsync(), StringComparison.Ordinal);
            Assert.Contains("rel→end 500 ms", await page.Locator("#graph .node[data-task-id='q2']").TextContentAsync(), StringComparison.Ordinal);
            await q1.ClickAsync();
            Assert.Equal("12 ms", await page.TextContentAsync("#detail dd[data-field='ran']"));
            Assert.Equal("2026-03-01T09:00:28.000Z", await page.TextContentAsync("#detail dd[data-field='ran_at']"));
            await page.ClickAsync("#graph .node[data-task-id='q2']");
            Assert.Equal("500 ms", await page.TextContentAsync("#detail dd[data-field='released → ended']"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
