using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableFlow.Tests.Executors;

/// <summary>A Kestrel server on 127.0.0.1 and a free port, with the endpoints the REST tests call.</summary>
public sealed class LocalHttpServer : IAsyncLifetime
{
    private WebApplication? _app;
    private int _requests;

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public int Port => new Uri(BaseUrl).Port;

    /// <summary>Requests received so far (to prove a blocked request never arrived).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            await next(context);
        });

        app.MapGet("/json", (HttpContext context) =>
        {
            context.Response.Headers["X-Test"] = "yes";
            return Results.Json(new { hello = "world", n = 1 });
        });
        app.MapGet("/text", () => Results.Text("plain text", "text/plain"));
        app.MapGet("/badjson", () => Results.Text("not json {", "application/json"));
        app.MapGet("/multi", (HttpContext context) =>
        {
            context.Response.Headers.Append("X-Multi", "a");
            context.Response.Headers.Append("X-Multi", "b");
            return Results.Text("ok");
        });
        app.Map("/echo", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            return Results.Json(new
            {
                method = context.Request.Method,
                query = context.Request.QueryString.Value ?? "",
                content_type = context.Request.ContentType,
                custom = context.Request.Headers["X-Custom"].ToString(),
                body,
            });
        });
        app.MapGet("/status/{code:int}", (int code) => Results.Text("nothing here", "text/plain", statusCode: code));
        app.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            return Results.Text("late");
        });
        app.MapGet("/big/{bytes:int}", async (HttpContext context, int bytes) =>
        {
            // Written in pieces without Content-Length (chunked): the cap must hold while streaming.
            context.Response.ContentType = "text/plain";
            var piece = Encoding.ASCII.GetBytes(new string('a', 1000));
            for (var left = bytes; left > 0; left -= piece.Length)
            {
                await context.Response.Body.WriteAsync(piece.AsMemory(0, Math.Min(left, piece.Length)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        app.MapGet("/sized/{bytes:int}", (int bytes) => Results.Text(new string('a', bytes), "text/plain"));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));

        await app.StartAsync();
        _app = app;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
