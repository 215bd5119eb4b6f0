using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace DurableFlow.E2E.Support;

/// <summary>The app's HTTP API as the suite uses it: plain requests, JSON answers, polling helpers.</summary>
public sealed class DurableFlowApi : IDisposable
{
    private static readonly string[] EndedStatuses = ["completed", "failed", "cancelled"];
    private readonly HttpClient _http;

    public DurableFlowApi()
    {
        var baseUrl = E2EEnvironment.BaseUrl ?? throw new InvalidOperationException(E2EEnvironment.NotConfigured);
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(100) };
        if (E2EEnvironment.FunctionKey is { } key)
        {
            _http.DefaultRequestHeaders.Add("x-functions-key", key);
        }
    }

    public Task<ApiResponse> SubmitAsync(JsonNode tree) => SendAsync(HttpMethod.Post, "api/trees", tree.ToJsonString(), "application/json");

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null, null);

    public Task<ApiResponse> PostAsync(string path, JsonNode? body = null) =>
        SendAsync(HttpMethod.Post, path, body?.ToJsonString(), body is null ? null : "application/json");

    /// <summary>The tree read with every task's result (the suite checks results; the default read leaves them out).</summary>
    public Task<ApiResponse> GetTreeAsync(string treeId) => GetAsync($"api/trees/{Uri.EscapeDataString(treeId)}?include=results");

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        return await SendAsync(request);
    }

    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var contentType = response.Content.Headers.ContentType?.MediaType;
        JsonNode? body = null;
        if (contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase) && text.Length > 0)
        {
            body = JsonNode.Parse(text);
        }

        return new ApiResponse(response.StatusCode, body, text, contentType, response.Headers.Location);
    }

    /// <summary>Submits a tree and returns its id, failing the test unless the API accepted it (202).</summary>
    public async Task<string> StartAsync(JsonNode tree)
    {
        var answer = await SubmitAsync(tree);
        Assert.True(answer.Status == HttpStatusCode.Accepted, $"submission not accepted: {answer}");
        return answer.Body!["tree_id"]!.GetValue<string>();
    }

    /// <summary>Polls the tree until it has ended; the tree read (with every task) is returned.</summary>
    public Task<JsonObject> WaitForEndAsync(string treeId, TimeSpan? timeout = null) =>
        WaitForTreeAsync(treeId, t => EndedStatuses.Contains(t["status"]!.GetValue<string>()), timeout ?? TimeSpan.FromSeconds(90), "to end");

    /// <summary>Polls the tree read until <paramref name="condition"/> holds. Host restarts in between are tolerated.</summary>
    public async Task<JsonObject> WaitForTreeAsync(string treeId, Func<JsonObject, bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        ApiResponse? last = null;
        while (true)
        {
            try
            {
                last = await GetTreeAsync(treeId);
                if (last.Status == HttpStatusCode.OK && condition(last.Body!.AsObject()))
                {
                    return last.Body!.AsObject();
                }
            }
            catch (HttpRequestException)
            {
                // The host is restarting: keep polling until the deadline.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"tree {treeId} did not get {what} within {timeout.TotalSeconds} s; last read: {last}");
            }

            await Task.Delay(250);
        }
    }

    public void Dispose() => _http.Dispose();
}
