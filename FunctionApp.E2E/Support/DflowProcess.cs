using System.Diagnostics;
using System.Reflection;

namespace DurableFlow.E2E.Support;

/// <summary>
/// Runs the dflow command line as its own process against the app under test, as a user or a CI script
/// would: standard output redirected (so plain progress lines), the API address and key from
/// DURABLEFLOW_URL and DURABLEFLOW_KEY.
/// </summary>
public sealed class DflowProcess
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    private DflowProcess(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
    }

    /// <summary>dflow.dll in DurableFlow.Cli's build output (the project file says why not a copy).</summary>
    private static string DflowPath { get; } = typeof(DflowProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DflowPath").Value!;

    public static DflowProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DflowPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DURABLEFLOW_URL"] = new Uri(E2EEnvironment.BaseUrl!, "api").ToString();
        start.Environment["DURABLEFLOW_KEY"] = E2EEnvironment.FunctionKey ?? "";
        start.Environment.Remove("DURABLEFLOW_TOKEN");
        start.Environment.Remove("DURABLEFLOW_USER");
        return new DflowProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    public static Task<DflowResult> RunAsync(params string[] args) => Start(args).WaitAsync(TimeSpan.FromSeconds(120));

    /// <summary>Waits for the process to exit; kills it (and fails) after <paramref name="timeout"/>.</summary>
    public async Task<DflowResult> WaitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dflow did not exit within {timeout}: {await _output}{await _error}");
        }
        var result = new DflowResult(_process.ExitCode, await _output, await _error);
        _process.Dispose();
        return result;
    }
}
