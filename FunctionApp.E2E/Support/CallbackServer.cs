using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableFlow.E2E.Support;

/// <summary>
/// A Kestrel server on 127.0.0.1 that the app's <c>rest_executor</c> tasks call. Each call of
/// <c>/run/{key}</c> is counted and timed here, on the executor's side of the wire, so a test can prove how
/// often a task really ran, whatever the app's own records say.
/// Query: <c>delay_ms</c> (answer after that long), <c>fail_times</c> (the first n calls answer 500).
/// The answer is <c>{"key", "call"}</c>, so a task's result names the call that produced it.
/// </summary>
public sealed class CallbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _calls = new(StringComparer.Ordinal);

    private CallbackServer(WebApplication app) => _app = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public static async Task<CallbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new CallbackServer(app);
        app.Map("/run/{key}", server.RunAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>The URL a task calls to be counted under <paramref name="key"/>.</summary>
    public string Url(string key, int delayMs = 0, int failTimes = 0, int padBytes = 0) =>
        $"{BaseUrl}/run/{Uri.EscapeDataString(key)}?delay_ms={delayMs}&fail_times={failTimes}" + (padBytes > 0 ? $"&pad_bytes={padBytes}" : "");

    /// <summary>A <c>rest_executor</c> task that calls <see cref="Url"/>.</summary>
    /// <paramref name="padBytes"/> pads the answer (and so the task's result) with that many characters.
    public JsonObject Task(string id, string key, int delayMs = 0, int failTimes = 0, double timeoutSeconds = 30, int padBytes = 0) => new()
    {
        ["id"] = id,
        ["name"] = "rest_executor",
        ["inputs"] = new JsonObject { ["url"] = Url(key, delayMs, failTimes, padBytes), ["timeout_seconds"] = timeoutSeconds },
    };

    /// <summary>How many calls arrived for <paramref name="key"/>.</summary>
    public int Calls(string key)
    {
        if (!_calls.TryGetValue(key, out var times))
        {
            return 0;
        }

        lock (times)
        {
            return times.Count;
        }
    }

    /// <summary>When each call for <paramref name="key"/> arrived.</summary>
    public IReadOnlyList<DateTimeOffset> CallTimes(string key)
    {
        if (!_calls.TryGetValue(key, out var times))
        {
            return [];
        }

        lock (times)
        {
            return [.. times];
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> calls for <paramref name="key"/> arrived.</summary>
    public async Task WaitForCallsAsync(string key, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Calls(key) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{key}: {Calls(key)} calls after {timeout.TotalSeconds} s, expected {count}");
            await System.Threading.Tasks.Task.Delay(100);
        }
    }

    private async Task<IResult> RunAsync(HttpContext context, string key)
    {
        key = Uri.UnescapeDataString(key); // routing leaves %2F escaped
        var times = _calls.GetOrAdd(key, _ => []);
        int call;
        lock (times)
        {
            times.Add(DateTimeOffset.UtcNow);
            call = times.Count;
        }

        var query = context.Request.Query;
        var delayMs = int.TryParse(query["delay_ms"], out var d) ? d : 0;
        var failTimes = int.TryParse(query["fail_times"], out var f) ? f : 0;
        var padBytes = int.TryParse(query["pad_bytes"], out var p) ? p : 0;
        if (delayMs > 0)
        {
            try
            {
                await System.Threading.Tasks.Task.Delay(delayMs, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty; // the caller went away (its host was killed)
            }
        }

        return call <= failTimes
            ? Results.Json(new { key, call, error = "failing on purpose" }, statusCode: 500)
            : padBytes > 0 ? Results.Json(new { key, call, pad = new string('x', padBytes) }) : Results.Json(new { key, call });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
