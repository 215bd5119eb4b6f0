using System.Net;
using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>Listing with paging, the served OpenAPI document and dashboard, executors and health.</summary>
public sealed class ListingAndDocumentsTests : E2ETest
{
    [E2EFact]
    public async Task A_users_trees_list_newest_first_page_by_page_and_filter_by_status()
    {
        var user = Trees.NewUser();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Api.StartAsync(Trees.Tree(user, Trees.SystemInfo("a")).Set("tree_id", Trees.NewId($"list{i}"))));
        }

        foreach (var id in ids)
        {
            await Api.WaitForEndAsync(id);
        }

        var listed = new List<string>();
        string? next = $"api/trees?user_id={user}&limit=2";
        var pages = 0;
        while (next is not null)
        {
            var page = await Api.GetAsync(next.TrimStart('/'));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var trees = page.Body!["trees"]!.AsArray();
            Assert.True(trees.Count <= 2);
            listed.AddRange(trees.Select(t => t!["tree_id"]!.GetValue<string>()));
            next = page.Body!["next"]?.GetValue<string>();
            pages++;
            Assert.True(pages <= 5, "paging does not end");
        }

        Assert.Equal(ids.AsEnumerable().Reverse(), listed);
        var completed = await Api.GetAsync($"api/trees?user_id={user}&status=completed");
        Assert.Equal(5, completed.Body!["trees"]!.AsArray().Count);
        var failed = await Api.GetAsync($"api/trees?user_id={user}&status=failed");
        Assert.Empty(failed.Body!["trees"]!.AsArray());
        var other = await Api.GetAsync($"api/trees?user_id={Trees.NewUser()}");
        Assert.Empty(other.Body!["trees"]!.AsArray());
        var bad = await Api.GetAsync($"api/trees?user_id={user}&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("invalid_request", bad.ErrorCode);
    }

    [E2EFact]
    public async Task The_openapi_document_is_served_without_a_key_and_describes_the_routes()
    {
        using var anonymous = new HttpClient { BaseAddress = E2EEnvironment.BaseUrl };

        using var response = await anonymous.GetAsync(new Uri("api/openapi.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains(paths, p => p.EndsWith("/trees", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.EndsWith("/rerun", StringComparison.Ordinal));
    }

    [E2EFact]
    public async Task The_dashboard_page_is_served_as_html()
    {
        using var anonymous = new HttpClient { BaseAddress = E2EEnvironment.BaseUrl };

        using var response = await anonymous.GetAsync(new Uri("api/dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [E2EFact]
    public async Task Executors_and_health_answer()
    {
        var executors = await Api.GetAsync("api/executors");
        var health = await Api.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, executors.Status);
        var names = executors.Body!.ToJsonString();
        foreach (var name in new[] { "system_info_executor", "rest_executor", "command_executor", "aggregate_results_executor" })
        {
            Assert.Contains(name, names, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("healthy", health.Body!["status"]!.GetValue<string>());
    }

    [KeyedE2EFact]
    public async Task Data_routes_need_a_function_key()
    {
        using var anonymous = new HttpClient { BaseAddress = E2EEnvironment.BaseUrl };
        using var response = await anonymous.GetAsync(new Uri("api/trees", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
