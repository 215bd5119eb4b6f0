using System.Text;
using System.Text.Json;
using DurableFlow.Api;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableFlow.Tests.Api;

/// <summary>The API's answers to hostile bodies and to unreachable storage, through <see cref="TreeApi"/>
/// with a mocked index and Durable client (nothing may be stored or started for a rejected request).</summary>
public class BadInputAndOutageTests
{
    private static readonly TreeIndexEntry Running = new("t1", "alice", DateTimeOffset.UnixEpoch, null, 1, TreeStatus.InProgress,
        new TaskCounts(0, 1, 0, 0, 0, 0), 1, "hash", TreeIndexState.Started);

    private static TreeApi Api(ITreeIndex index)
    {
        var executor = new Mock<ITaskExecutor>();
        executor.SetupGet(e => e.Name).Returns("echo_executor");
        return TreeApi.Create(index, new ExecutorRegistry([executor.Object]), Options.Create(new TreeApiOptions()), TimeProvider.System, NullLoggerFactory.Instance);
    }

    private static HttpRequest Post(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        return context.Request;
    }

    /// <summary>Writes the answer as the host would, and returns its status, headers and bytes.</summary>
    private static async Task<(int Status, IHeaderDictionary Headers, byte[] Body)> Send(IActionResult result)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return (context.Response.StatusCode, context.Response.Headers, body.ToArray());
    }

    [Fact]
    public async Task A_megabyte_of_empty_tasks_is_a_small_400_that_lists_100_problems_and_counts_the_rest()
    {
        var body = new StringBuilder("{\"tasks\":[");
        var tasks = 1;
        for (; body.Length < 1024 * 1024 - 10; tasks++)
        {
            body.Append("{},");
        }

        body.Append("{}]}");
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        var index = new Mock<ITreeIndex>(MockBehavior.Strict);
        var client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var (status, _, answer) = await Send(await Api(index.Object).SubmitAsync(Post(bytes), client.Object, CancellationToken.None));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(400, status);
        Assert.True(answer.Length < 32 * 1024, $"the answer is {answer.Length:N0} bytes");
        var error = JsonDocument.Parse(answer).RootElement.GetProperty("error");
        Assert.Equal(100, error.GetProperty("details").GetArrayLength());
        Assert.Equal(2 * tasks - 100, error.GetProperty("details_truncated").GetInt32()); // "id" and "name" missing in each
        Assert.Equal("validation_failed", error.GetProperty("code").GetString());
        // Before the bound: 459 MiB for 699,038 kept details and a 67 MB answer.
        Assert.True(allocated < 200L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task A_rerun_body_with_a_lone_surrogate_is_400_invalid_json_not_500()
    {
        var index = new Mock<ITreeIndex>();
        index.Setup(i => i.GetAsync("t1", It.IsAny<CancellationToken>())).ReturnsAsync(Running);
        var client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");

        var (status, _, answer) = await Send(await Api(index.Object).RerunAsync(Post(Encoding.UTF8.GetBytes("{\"tasks\":[\"\\udc00\"]}")), "t1", client.Object, CancellationToken.None));

        Assert.Equal(400, status);
        Assert.Equal("invalid_json", JsonDocument.Parse(answer).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_terminate_body_with_a_lone_surrogate_or_an_unknown_field_is_400()
    {
        var index = new Mock<ITreeIndex>();
        index.Setup(i => i.GetAsync("t1", It.IsAny<CancellationToken>())).ReturnsAsync(Running);
        var client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");

        foreach (var body in new[] { "{\"reason\":\"\\udc00\"}", "{\"why\":\"x\"}", "{\"reason\":7}", "[1]" })
        {
            var (status, _, _) = await Send(await Api(index.Object).TerminateAsync(Post(Encoding.UTF8.GetBytes(body)), "t1", client.Object, CancellationToken.None));
            Assert.True(status == 400, $"{body}: {status}");
        }
    }

    [Fact]
    public async Task Storage_unreachable_after_the_SDK_retries_is_503_with_Retry_After()
    {
        // What Azure.Core throws once its retries are spent: an AggregateException of the attempts' failures.
        var index = new Mock<ITreeIndex>();
        index.Setup(i => i.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AggregateException("Retry failed after 2 tries.", new Azure.RequestFailedException("Connection refused (127.0.0.1:1)"), new HttpRequestException("Connection refused")));
        var client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");
        var context = new DefaultHttpContext();

        var (status, headers, answer) = await Send(await Api(index.Object).GetTreeAsync(context.Request, "t1", client.Object, CancellationToken.None));

        Assert.Equal(503, status);
        Assert.Equal("service_unavailable", JsonDocument.Parse(answer).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.True(int.TryParse(headers.RetryAfter.ToString(), out var seconds) && seconds > 0, $"Retry-After: '{headers.RetryAfter}'");
    }

    [Fact]
    public async Task Storage_too_slow_to_answer_is_503_too()
    {
        // What Azure.Core throws when every try ran into its network timeout (seen on the real host when Azurite stalled).
        static Exception Timeout() => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:04.",
            new TaskCanceledException("The operation was canceled.", new HttpIOException(HttpRequestError.ResponseEnded)));
        var index = new Mock<ITreeIndex>();
        index.Setup(i => i.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AggregateException("Retry failed after 3 tries.", Timeout(), Timeout(), Timeout()));
        var client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");

        var (status, _, _) = await Send(await Api(index.Object).GetTreeAsync(new DefaultHttpContext().Request, "t1", client.Object, CancellationToken.None));

        Assert.Equal(503, status);
    }

    [Fact]
    public async Task A_bug_is_still_500_not_503()
    {
        var index = new Mock<ITreeIndex>();
        index.Setup(i => i.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new AggregateException(new InvalidOperationException("bug")));
        var client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");

        var (status, _, _) = await Send(await Api(index.Object).GetTreeAsync(new DefaultHttpContext().Request, "t1", client.Object, CancellationToken.None));

        Assert.Equal(500, status);
    }

    [Fact]
    public async Task Against_a_storage_endpoint_that_refuses_connections_the_API_answers_503_within_two_seconds()
    {
        // Nothing listens on port 1: every try is refused at once, so the time is the client's retry delays.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Convert.ToBase64String(new byte[64]) + ";TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        }).Build();
        var index = new TableTreeIndex(TreeIndexServiceCollectionExtensions.CreateTableServiceClient(configuration, "Storage"));
        var client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (status, headers, _) = await Send(await Api(index).GetTreeAsync(new DefaultHttpContext().Request, "t1", client.Object, CancellationToken.None));

        Assert.Equal(503, status);
        Assert.Equal("5", headers.RetryAfter.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }
}
