using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DurableFlow.Api;
using Microsoft.AspNetCore.Http;

namespace DurableFlow.Tests.Api;

/// <summary>
/// A tree as the dashboard tests' fake API serves it: <c>GET /api/trees/{id}?view=summary</c> (no tasks) and the
/// tasks pages of <c>GET /api/trees/{id}/tasks</c>, by the contract's rules (limit 1–1000, default 100; opaque
/// continuation; status filter; no <c>result</c> unless <c>include=results</c>). Pages never cross a multiple of
/// <see cref="Shard"/> tasks, as a sharded store's would not, so some are short and still continued.
/// </summary>
public sealed class DashboardTree(string id, string status, IReadOnlyList<DashboardTask> tasks, int run = 1)
{
    public const int MaxLimit = 1000, DefaultLimit = 100, Shard = 1500;

    private const string Created = "2026-03-01T09:00:00.000Z";

    public string Id { get; } = id;

    public string Status { get; } = status;

    public IReadOnlyList<DashboardTask> Tasks { get; } = tasks;

    public int Run { get; } = run;

    public static string PathOf(string treeId) => "/api/trees/" + Uri.EscapeDataString(treeId);

    public JsonObject Summary()
    {
        int Count(string s) => Tasks.Count(t => t.Status == s);
        var ended = Tasks.Count(t => t.Status is not ("pending" or "in_progress"));
        return new JsonObject
        {
            ["tree_id"] = Id,
            ["user_id"] = "anonymous",
            ["status"] = Status,
            ["progress"] = Tasks.Count == 0 ? 0 : (double)ended / Tasks.Count,
            ["counts"] = new JsonObject
            {
                ["pending"] = Count("pending"), ["in_progress"] = Count("in_progress"), ["completed"] = Count("completed"),
                ["failed"] = Count("failed"), ["skipped"] = Count("skipped"), ["cancelled"] = Count("cancelled"),
            },
            ["task_count"] = Tasks.Count,
            ["created_at"] = Created,
            ["started_at"] = Created,
            ["completed_at"] = Status is "completed" or "failed" or "cancelled" ? "2026-03-01T09:00:09.000Z" : null,
            ["run"] = Run,
            ["links"] = new JsonObject { ["self"] = PathOf(Id), ["cancel"] = PathOf(Id) + "/cancel", ["tasks"] = PathOf(Id) + "/tasks" },
            ["runs"] = new JsonArray(),
        };
    }

    /// <summary>One tasks page for <paramref name="query"/>, or the API's 400 for a bad parameter.</summary>
    public (ApiResult? Error, JsonObject? Page) Page(IQueryCollection query)
    {
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return (ApiResult.BadRequest($"limit must be 1 to {MaxLimit}", "limit"), null);
        }

        var offset = 0;
        if (query.TryGetValue("continuation", out var token) && !TryReadToken(token.ToString(), out offset))
        {
            return (ApiResult.BadRequest("continuation is not a token of this tree's tasks", "continuation"), null);
        }

        HashSet<string>? statuses = null;
        if (query.TryGetValue("status", out var statusText))
        {
            statuses = [.. statusText.ToString().Split(',')];
            if (statuses.Any(s => s is not ("pending" or "in_progress" or "completed" or "failed" or "skipped" or "cancelled")))
            {
                return (ApiResult.BadRequest("status must list task statuses", "status"), null);
            }
        }

        var withResults = query["include"].ToString() == "results";
        var page = new JsonArray();
        var end = Math.Min(Tasks.Count, ((offset / Shard) + 1) * Shard);
        var i = offset;
        for (; i < end && page.Count < limit; i++)
        {
            if (statuses is null || statuses.Contains(Tasks[i].Status))
            {
                page.Add(Tasks[i].ToJson(withResults));
            }
        }

        var continuation = i < Tasks.Count ? Token(i) : null;
        return (null, new JsonObject
        {
            ["tree_id"] = Id,
            ["run"] = Run,
            ["tasks"] = page,
            ["continuation"] = continuation,
            ["links"] = new JsonObject
            {
                ["next"] = continuation is null ? null : $"{PathOf(Id)}/tasks?limit={limit}&continuation={Uri.EscapeDataString(continuation)}",
            },
        });
    }

    public DashboardTask? Task(string taskId) => Tasks.FirstOrDefault(t => t.Id == taskId);

    private string Token(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Id}|{offset.ToString(CultureInfo.InvariantCulture)}"));

    private bool TryReadToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            return parts.Length == 2 && parts[0] == Id
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset <= Tasks.Count;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
