using System.Diagnostics;

namespace DurableFlow.Tests.Infra;

/// <summary>
/// Runs the Bicep CLI that infra/tools/BicepCli.csproj restores from NuGet into the global packages folder.
/// </summary>
public static class BicepCli
{
    /// <summary>The CLI version; keep in step with BicepCliVersion in infra/tools/BicepCli.csproj.</summary>
    public const string Version = "0.49.2";

    private const string PackageId = "azure.bicep.commandline.linux-x64";

    /// <summary>Output of one CLI run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Both streams, for assertion messages.</summary>
        public string AllOutput => StandardOutput + StandardError;
    }

    /// <summary>Path of the bicep binary in the NuGet global packages folder, made executable if needed.</summary>
    public static string ExecutablePath()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture
                != System.Runtime.InteropServices.Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                $"The infra tests run the {PackageId} package, which only runs on linux-x64.");
        }

        var packagesRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packagesRoot))
        {
            packagesRoot = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var path = Path.Combine(packagesRoot, PackageId, Version, "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Bicep CLI not found at {path}. Restore it with: dotnet restore infra/tools/BicepCli.csproj", path);
        }

        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }

        return path;
    }

    /// <summary>Runs bicep with the given arguments in the repository root.</summary>
    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath())
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("The Bicep CLI process did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 3 minutes.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
