using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Executors;
using DurableFlow.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DurableFlow.Tests.Executors;

/// <summary>
/// Secrets in a task's URL (query string, user info) never reach the task's error or any log line, on
/// every failure path of <c>rest_executor</c>: status, refused connection, blocked destination, redirect,
/// timeout, oversized body, unparseable URL. Runs the app's own DI (HttpClientFactory logging included).
/// </summary>
public sealed class UrlRedactionTests(LocalHttpServer server) : IClassFixture<LocalHttpServer>
{
    private const string Secret = "SECRET-7f3a";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(TaskRunResultV1 Outcome, IReadOnlyList<FakeLogRecord> Logs)> RunAsync(object inputs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RestExecutor:AllowPrivateNetworks"] = "true",
            ["RestExecutor:MaxResponseBytes"] = "100",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging())
            .AddTaskExecutors(configuration);
        services.AddOptions<TaskRunnerOptions>();
        services.AddSingleton<TaskRunner>();
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<TaskRunner>();

        var outcome = await runner.RunAsync(
            new TaskRunRequestV1("tree-1", "call", RestExecutor.ExecutorName, 1, 1, false, JsonSerializer.SerializeToElement(inputs), new Dictionary<string, JsonElement>()),
            CancellationToken.None);
        return (outcome, provider.GetFakeLogCollector().GetSnapshot());
    }

    public static TheoryData<string, string> FailingCalls() => new()
    {
        { "/status/404?api_key=" + Secret, "HTTP 404 Not Found from {base}/status/404" },
        { "/redirect?to=" + Uri.EscapeDataString("/status/500?token=" + Secret), "HTTP 500 Internal Server Error from {base}/status/500" },
        { "/big/5000?sig=" + Secret, "the response from {base}/big/5000 exceeds" },
        { "/status/500?a=1#frag-" + Secret, "from {base}/status/500" },
    };

    [Theory]
    [MemberData(nameof(FailingCalls))]
    public async Task The_error_names_scheme_host_and_path_but_neither_the_error_nor_the_logs_hold_the_query(string pathAndQuery, string expected)
    {
        var (outcome, logs) = await RunAsync(new { url = server.BaseUrl + pathAndQuery });

        Assert.False(outcome.Succeeded);
        Assert.Contains(expected.Replace("{base}", server.BaseUrl, StringComparison.Ordinal), outcome.Error, StringComparison.Ordinal);
        AssertNoSecret(outcome, logs);
    }

    [Fact]
    public async Task User_info_is_removed_too()
    {
        var url = server.BaseUrl.Replace("http://", $"http://user:{Secret}@", StringComparison.Ordinal) + "/status/500?key=" + Secret;

        var (outcome, logs) = await RunAsync(new { url });

        Assert.Contains($"from {server.BaseUrl}/status/500", outcome.Error, StringComparison.Ordinal);
        AssertNoSecret(outcome, logs);
    }

    [Fact]
    public async Task A_refused_connection_and_a_timeout_keep_the_query_out()
    {
        var port = FreePort();
        var (refused, refusedLogs) = await RunAsync(new { url = $"http://127.0.0.1:{port}/x?api_key={Secret}" });
        var (slow, slowLogs) = await RunAsync(new { url = server.BaseUrl + "/slow?api_key=" + Secret, timeout_seconds = 0.3 });

        Assert.StartsWith($"GET http://127.0.0.1:{port}/x failed:", refused.Error, StringComparison.Ordinal);
        Assert.StartsWith($"GET {server.BaseUrl}/slow did not complete", slow.Error, StringComparison.Ordinal);
        AssertNoSecret(refused, refusedLogs);
        AssertNoSecret(slow, slowLogs);
    }

    [Fact]
    public async Task A_blocked_destination_keeps_the_query_out()
    {
        var (outcome, logs) = await RunAsync(new { url = $"http://169.254.169.254/latest/meta-data/?api_key={Secret}" });

        Assert.StartsWith("invalid inputs for rest_executor: GET http://169.254.169.254/latest/meta-data/: blocked destination", outcome.Error, StringComparison.Ordinal);
        AssertNoSecret(outcome, logs);
    }

    [Fact]
    public async Task An_unparseable_url_is_not_echoed_with_its_query()
    {
        var (outcome, logs) = await RunAsync(new { url = $"example.com/path?api_key={Secret}" });

        Assert.Contains("inputs.url must be an absolute http or https URL, got 'example.com/path'", outcome.Error, StringComparison.Ordinal);
        AssertNoSecret(outcome, logs);
    }

    private static void AssertNoSecret(TaskRunResultV1 outcome, IReadOnlyList<FakeLogRecord> logs)
    {
        Assert.DoesNotContain(Secret, outcome.Error ?? "", StringComparison.Ordinal);
        Assert.All(logs, record =>
        {
            Assert.DoesNotContain(Secret, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, record.Exception?.ToString() ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, string.Join(";", record.StructuredState ?? []), StringComparison.Ordinal);
        });
    }
}
