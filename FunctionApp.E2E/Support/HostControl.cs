using System.Diagnostics;

namespace DurableFlow.E2E.Support;

/// <summary>Drives the host ./e2e.sh started, through the same script (FunctionApp.E2E/host.sh).</summary>
public static class HostControl
{
    /// <summary>Graceful stop: TERM, so the host releases its Durable partition leases.</summary>
    public static Task StopAsync() => RunAsync("stop");

    /// <summary>A crash: SIGKILL to the host's process group, worker included; nothing is cleaned up.</summary>
    public static Task KillAsync() => RunAsync("kill");

    /// <summary>Starts the host and waits until the app answers.</summary>
    public static Task StartAsync() => RunAsync("start");

    private static async Task RunAsync(string command)
    {
        var script = E2EEnvironment.HostControl ?? throw new InvalidOperationException("E2E_HOST_CONTROL is not set");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"host.sh {command} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }
}
