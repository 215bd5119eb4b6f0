using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DurableFlow.Executors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static DurableFlow.Testing.ExecutorTestSupport;

namespace DurableFlow.Tests.Executors;

public sealed class RestExecutorTests : IClassFixture<LocalHttpServer>, IDisposable
{
    private readonly LocalHttpServer _server;
    private readonly List<IDisposable> _disposables = [];

    /// <summary>Every endpoint the executor under test tried to dial (through the guard).</summary>
    private readonly ConcurrentQueue<IPEndPoint> _attempts = new();

    public RestExecutorTests(LocalHttpServer server) => _server = server;

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    /// <summary>
    /// The real handler and guard, but with a connector that records every attempt and refuses anything
    /// but loopback: even a broken guard could never send test traffic off this machine.
    /// </summary>
    private RestExecutor Executor(bool allowPrivate = true, int maxResponseBytes = 1024 * 1024, Dictionary<string, IPAddress[]>? dns = null)
    {
        var guard = new RestDestinationGuard(
            allowPrivate,
            (host, _) => dns is not null && dns.TryGetValue(host, out var found)
                ? Task.FromResult(found)
                : throw new SocketException((int)SocketError.HostNotFound),
            async (endpoint, ct) =>
            {
                _attempts.Enqueue(endpoint);
                if (!IPAddress.IsLoopback(endpoint.Address))
                {
                    throw new InvalidOperationException($"test connector refused non-loopback {endpoint}");
                }

                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(endpoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            });
        var handler = RestExecutor.CreatePrimaryHandler(guard);
        _disposables.Add(handler);
        var options = new RestExecutorOptions { AllowPrivateNetworks = allowPrivate, MaxResponseBytes = maxResponseBytes };
        return new RestExecutor(new FixedFactory(handler), Options.Create(options));
    }

    private sealed class FixedFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static string Inputs(object inputs) => JsonSerializer.Serialize(inputs);

    private static Task<JsonElement> Run(RestExecutor executor, object inputs, CancellationToken cancellationToken = default) =>
        executor.ExecuteAsync(Context(Inputs(inputs), cancellationToken: cancellationToken));

    [Fact]
    public async Task Get_returns_status_headers_parsed_json_and_timing()
    {
        var result = await Run(Executor(), new { url = _server.BaseUrl + "/json" });

        Assert.Equal(200, result.GetProperty("status_code").GetInt32());
        Assert.Equal("world", result.GetProperty("json").GetProperty("hello").GetString());
        Assert.Equal(1, result.GetProperty("json").GetProperty("n").GetInt32());
        Assert.Equal("yes", result.GetProperty("headers").GetProperty("X-Test").GetString());
        Assert.StartsWith("application/json", result.GetProperty("headers").GetProperty("Content-Type").GetString(), StringComparison.Ordinal);
        Assert.False(result.TryGetProperty("text", out _));
        Assert.True(result.GetProperty("elapsed_ms").GetInt64() >= 0);
        Assert.Equal(_server.BaseUrl + "/json", result.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Text_bodies_and_json_labelled_non_json_come_back_as_text()
    {
        var executor = Executor();
        var text = await Run(executor, new { url = _server.BaseUrl + "/text" });
        var bad = await Run(executor, new { url = _server.BaseUrl + "/badjson" });

        Assert.Equal("plain text", text.GetProperty("text").GetString());
        Assert.False(text.TryGetProperty("json", out _));
        Assert.Equal("not json {", bad.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Params_are_appended_to_the_existing_query()
    {
        var result = await Run(Executor(), new
        {
            url = _server.BaseUrl + "/echo?a=1",
            @params = new Dictionary<string, object?> { ["b"] = "x y&z", ["c"] = new[] { 1, 2 }, ["d"] = true, ["skip"] = null },
        });

        Assert.Equal("?a=1&b=x%20y%26z&c=1&c=2&d=true", result.GetProperty("json").GetProperty("query").GetString());
    }

    [Fact]
    public async Task Post_sends_json_body_as_application_json()
    {
        var result = await Run(Executor(), new { url = _server.BaseUrl + "/echo", method = "post", json = new { k = new[] { 1, 2 }, s = "é" } });

        var echo = result.GetProperty("json");
        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.StartsWith("application/json", echo.GetProperty("content_type").GetString(), StringComparison.Ordinal);
        var sent = Json(echo.GetProperty("body").GetString()!);
        Assert.Equal([1, 2], sent.GetProperty("k").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("é", sent.GetProperty("s").GetString());
    }

    [Fact]
    public async Task Data_object_is_form_encoded_and_data_string_is_sent_as_is()
    {
        var executor = Executor();
        var form = await Run(executor, new { url = _server.BaseUrl + "/echo", method = "POST", data = new { a = "1 2", b = "x" } });
        var text = await Run(executor, new { url = _server.BaseUrl + "/echo", method = "PUT", data = "raw body" });

        Assert.Equal("application/x-www-form-urlencoded", form.GetProperty("json").GetProperty("content_type").GetString());
        Assert.Equal("a=1+2&b=x", form.GetProperty("json").GetProperty("body").GetString());
        Assert.Equal("raw body", text.GetProperty("json").GetProperty("body").GetString());
        Assert.Equal("PUT", text.GetProperty("json").GetProperty("method").GetString());
    }

    [Fact]
    public async Task Request_headers_are_sent_including_content_type_and_multi_value_response_headers_are_joined()
    {
        var executor = Executor();
        var echo = await Run(executor, new
        {
            url = _server.BaseUrl + "/echo",
            method = "POST",
            data = "<x/>",
            headers = new Dictionary<string, string> { ["X-Custom"] = "hello", ["Content-Type"] = "application/xml" },
        });
        var multi = await Run(executor, new { url = _server.BaseUrl + "/multi" });

        Assert.Equal("hello", echo.GetProperty("json").GetProperty("custom").GetString());
        Assert.Equal("application/xml", echo.GetProperty("json").GetProperty("content_type").GetString());
        Assert.Equal("a, b", multi.GetProperty("headers").GetProperty("X-Multi").GetString());
    }

    [Fact]
    public async Task A_404_fails_the_task_by_default_naming_status_and_url()
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Run(Executor(), new { url = _server.BaseUrl + "/status/404" }));

        Assert.StartsWith($"HTTP 404 Not Found from {_server.BaseUrl}/status/404", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing here", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task A_404_with_fail_on_status_false_is_returned()
    {
        var result = await Run(Executor(), new { url = _server.BaseUrl + "/status/404", fail_on_status = false });

        Assert.Equal(404, result.GetProperty("status_code").GetInt32());
        Assert.Equal("nothing here", result.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Credentials_in_the_url_never_appear_in_errors()
    {
        var url = _server.BaseUrl.Replace("http://", "http://user:s3cret@", StringComparison.Ordinal) + "/status/500";

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Run(Executor(), new { url }));

        Assert.Contains("HTTP 500", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_server_fails_with_a_timeout_after_timeout_seconds()
    {
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => Run(Executor(), new { url = _server.BaseUrl + "/slow", timeout_seconds = 0.5 }));

        Assert.Contains("did not complete within 0.5 s", ex.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancellation_of_the_attempt_is_honoured_and_is_not_reported_as_a_timeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(Executor(), new { url = _server.BaseUrl + "/slow" }, cts.Token));

        Assert.IsNotType<TimeoutException>(ex);
    }

    [Fact]
    public async Task Response_bodies_over_the_cap_fail_whether_streamed_or_announced()
    {
        var executor = Executor(maxResponseBytes: 1000);

        var streamed = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(executor, new { url = _server.BaseUrl + "/big/5000" }));
        var announced = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(executor, new { url = _server.BaseUrl + "/sized/5000" }));
        var exact = await Run(executor, new { url = _server.BaseUrl + "/big/1000" });

        Assert.Contains("exceeds the 1000-byte limit (RestExecutor:MaxResponseBytes)", streamed.Message, StringComparison.Ordinal);
        Assert.Contains("is 5000 bytes, more than the 1000-byte limit", announced.Message, StringComparison.Ordinal);
        Assert.Equal(1000, exact.GetProperty("text").GetString()!.Length);
    }

    [Fact]
    public async Task Loopback_is_blocked_by_default_through_the_real_DI_wiring()
    {
        using var provider = new ServiceCollection()
            .AddTaskExecutors(new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        Assert.True(provider.GetRequiredService<ExecutorRegistry>().TryGet(RestExecutor.ExecutorName, out var executor));
        var before = _server.Requests;

        var literal = await Assert.ThrowsAsync<InvalidTaskInputException>(() =>
            executor.ExecuteAsync(Context(Inputs(new { url = _server.BaseUrl + "/json" }))));
        var named = await Assert.ThrowsAsync<InvalidTaskInputException>(() =>
            executor.ExecuteAsync(Context(Inputs(new { url = $"http://localhost:{_server.Port}/json" }))));

        Assert.Contains("blocked", literal.Message, StringComparison.Ordinal);
        Assert.Contains("RestExecutor:AllowPrivateNetworks=true", literal.Message, StringComparison.Ordinal);
        Assert.Contains("blocked destination 'localhost'", named.Message, StringComparison.Ordinal);
        Assert.Equal(before, _server.Requests);
    }

    [Fact]
    public async Task Private_networks_allowed_through_DI_configuration_reach_the_local_server()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RestExecutor:AllowPrivateNetworks"] = "true" })
            .Build();
        using var provider = new ServiceCollection().AddTaskExecutors(configuration).BuildServiceProvider();
        provider.GetRequiredService<ExecutorRegistry>().TryGet(RestExecutor.ExecutorName, out var executor);

        var result = await executor!.ExecuteAsync(Context(Inputs(new { url = $"http://localhost:{_server.Port}/json" })));

        Assert.Equal(200, result.GetProperty("status_code").GetInt32());
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://0.0.0.0:80/")]
    [InlineData("http://[fd00:ec2::254]/")]
    public async Task Metadata_and_link_local_addresses_are_blocked_even_with_private_networks_allowed(string url)
    {
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Run(Executor(allowPrivate: true), new { url }));

        Assert.Contains("blocked", ex.Message, StringComparison.Ordinal);
        Assert.Contains("never connects there", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_attempts);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_name_resolving_to_the_metadata_address_is_blocked_at_connect_time()
    {
        var dns = new Dictionary<string, IPAddress[]>
        {
            ["metadata.google.internal"] = [IPAddress.Parse("169.254.169.254")],
            ["rebound.example"] = [IPAddress.Parse("::ffff:169.254.169.254")],
        };
        var executor = Executor(allowPrivate: true, dns: dns);
        var watch = Stopwatch.StartNew();

        var google = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Run(executor, new { url = "http://metadata.google.internal/computeMetadata/v1/" }));
        var rebound = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Run(executor, new { url = "http://rebound.example/" }));

        Assert.Contains("blocked destination 'metadata.google.internal': 169.254.169.254 is in the link-local range", google.Message, StringComparison.Ordinal);
        Assert.Contains("blocked destination 'rebound.example'", rebound.Message, StringComparison.Ordinal);
        Assert.Empty(_attempts);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_name_with_blocked_and_allowed_addresses_connects_only_to_the_allowed_one()
    {
        var dns = new Dictionary<string, IPAddress[]>
        {
            ["mixed.example"] = [IPAddress.Parse("169.254.169.254"), IPAddress.Loopback],
        };

        var result = await Run(Executor(allowPrivate: true, dns: dns), new { url = $"http://mixed.example:{_server.Port}/json" });

        Assert.Equal(200, result.GetProperty("status_code").GetInt32());
        Assert.All(_attempts, endpoint => Assert.Equal(IPAddress.Loopback, endpoint.Address));
        Assert.NotEmpty(_attempts);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_server_to_the_metadata_address_is_blocked()
    {
        var url = $"{_server.BaseUrl}/redirect?to={Uri.EscapeDataString("http://169.254.169.254/latest/meta-data/")}";

        var ex = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Run(Executor(allowPrivate: true), new { url }));

        Assert.Contains("blocked destination '169.254.169.254'", ex.Message, StringComparison.Ordinal);
        Assert.All(_attempts, endpoint => Assert.Equal(IPAddress.Loopback, endpoint.Address));
    }

    [Fact]
    public async Task Redirects_to_allowed_destinations_are_followed()
    {
        var url = $"{_server.BaseUrl}/redirect?to={Uri.EscapeDataString("/json")}";

        var result = await Run(Executor(), new { url });

        Assert.Equal(200, result.GetProperty("status_code").GetInt32());
        Assert.Equal(_server.BaseUrl + "/json", result.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_refused_connection_fails_naming_the_url()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Run(Executor(), new { url = $"http://127.0.0.1:{port}/" }));

        Assert.StartsWith($"GET http://127.0.0.1:{port}/ failed:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/file"}""", "inputs.url must use http or https, got 'ftp'")]
    [InlineData("""{"url":"file:///etc/passwd"}""", "inputs.url must use http or https, got 'file'")]
    [InlineData("""{"url":"not a url"}""", "inputs.url must be an absolute http or https URL")]
    [InlineData("""{}""", "inputs.url is required")]
    [InlineData("""{"url":42}""", "inputs.url must be a string, got a number")]
    [InlineData("""{"url":"http://example.com","json":{},"data":"x"}""", "give inputs.json or inputs.data, not both")]
    [InlineData("""{"url":"http://example.com","timeout_seconds":"10"}""", "inputs.timeout_seconds must be a number, got a string")]
    [InlineData("""{"url":"http://example.com","timeout_seconds":0}""", "inputs.timeout_seconds must be more than 0 and at most 300, got 0")]
    [InlineData("""{"url":"http://example.com","timeout_seconds":301}""", "inputs.timeout_seconds must be more than 0 and at most 300, got 301")]
    [InlineData("""{"url":"http://example.com","headers":{"X":1}}""", "inputs.headers.X must be a string, got a number")]
    [InlineData("""{"url":"http://example.com","headers":{"X":"a\r\nEvil: 1"}}""", "inputs.headers.X contains control characters")]
    [InlineData("""{"url":"http://example.com","params":{"a":{"b":1}}}""", "inputs.params.a must be a string, number or boolean")]
    [InlineData("""{"url":"http://example.com","data":[1]}""", "inputs.data must be a string or an object, got an array")]
    [InlineData("""{"url":"http://example.com","method":"GE T"}""", "inputs.method 'GE T' is not a valid HTTP method")]
    [InlineData("""{"url":"http://example.com","header":{}}""", "inputs.header is not an input of this executor")]
    [InlineData("""{"url":"http://example.com","fail_on_status":"no"}""", "inputs.fail_on_status must be true or false")]
    public async Task Invalid_inputs_are_rejected_before_any_connection(string inputs, string message)
    {
        var ex = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Executor().ExecuteAsync(Context(inputs)));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_attempts);
    }

    [Fact]
    public void Demo_result_does_no_io_and_still_checks_inputs()
    {
        var executor = Executor();

        var demo = executor.DemoResult(Context("""{"url":"http://169.254.169.254/x"}"""));

        Assert.Equal(200, demo.GetProperty("status_code").GetInt32());
        Assert.True(demo.GetProperty("json").GetProperty("demo").GetBoolean());
        Assert.Equal("http://169.254.169.254/x", demo.GetProperty("json").GetProperty("url").GetString());
        Assert.Empty(_attempts);
        Assert.Throws<InvalidTaskInputException>(() => executor.DemoResult(Context("""{"url":"gopher://x"}""")));
    }
}
