using System.Diagnostics;

namespace DurableFlow.Bench.RealHost;

/// <summary>
/// One host session for one app, through the e2e suite's host script (FunctionApp.E2E/host.sh): started
/// and waited for; stopped with TERM on dispose, so the next app's host gets the partitions at once.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly BenchApp _app;

    private BenchHost(HttpClient client, BenchApp app) => (Client, _app) = (client, app);

    public HttpClient Client { get; }

    /// <summary>The worker process's peak resident memory so far (VmHWM), in MB; null when it is not found.</summary>
    public double? WorkerPeakMemoryMb()
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!cmdline.Contains(_app.Directory, StringComparison.Ordinal) || !cmdline.Contains(".dll", StringComparison.Ordinal) || cmdline.Contains("WebJobs.Script.WebHost", StringComparison.Ordinal))
                {
                    continue;
                }

                var line = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                {
                    return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
                }
            }
            catch (IOException)
            {
                // a process that ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    public static async Task<BenchHost> StartAsync(BenchApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        Console.WriteLine($"-- starting the host with {app.Name}, on a fresh Azurite");
        await RunAsync("bash", Environment.GetEnvironmentVariable("BENCH_STORAGE_RESET") ?? throw new InvalidOperationException("BENCH_STORAGE_RESET is not set: start the benchmark with run.sh"));
        await RunScriptAsync("start", app);
        var key = (await RunScriptAsync("key", app)).Trim();
        var client = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{Environment.GetEnvironmentVariable("E2E_HOST_PORT")}/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (key.Length > 0)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        return new BenchHost(client, app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await RunScriptAsync("stop", null);
    }

    private static async Task RunAsync(string file, string argument)
    {
        using var process = Process.Start(file, argument);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {argument} failed ({process.ExitCode})");
        }
    }

    private static async Task<string> RunScriptAsync(string command, BenchApp? app)
    {
        var script = Environment.GetEnvironmentVariable("E2E_HOST_CONTROL") ?? throw new InvalidOperationException("E2E_HOST_CONTROL is not set");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        if (app is not null)
        {
            start.Environment["E2E_APP_DIR"] = app.Directory;
            start.Environment["E2E_SETTINGS"] = app.Settings;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"host.sh {command} failed: {await stderr}");
        }

        return await stdout;
    }
}
