using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using DurableFlow.Executors;
using Microsoft.Extensions.Options;
using static DurableFlow.Testing.ExecutorTestSupport;

namespace DurableFlow.Tests.Executors;

/// <summary>
/// Linux process hygiene of <c>command_executor</c>: nothing a command starts outlives it, a child holding
/// the output pipe does not delay the result, and a command cannot read the app's environment via /proc.
/// </summary>
[SupportedOSPlatform("linux")]
public class CommandProcessIsolationTests
{
    private static CommandExecutor Executor(bool protectApp = true) =>
        new(Options.Create(new CommandExecutorOptions { Enabled = true, AllowedCommands = "sh;cat", ProtectAppProcesses = protectApp }));

    private static Task<JsonElement> Run(CommandExecutor executor, object inputs) =>
        executor.ExecuteAsync(Context(JsonSerializer.Serialize(inputs)));

    /// <summary>A sleep duration no other process uses, so /proc can tell whether this test's sleeper lives.</summary>
    private static string Marker() => "4" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture) + ".5";

    private static int[] ProcessesRunning(string marker) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => (Dir: d, Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0))
            .Where(p => p.Pid > 0 && ReadCommandLine(p.Dir).Contains(marker, StringComparison.Ordinal))
            .Select(p => p.Pid)
            .ToArray();

    private static string ReadCommandLine(string dir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static async Task<int[]> StillRunningAfterAMomentAsync(string marker)
    {
        // SIGKILL is delivered at once, but the kernel needs a moment to take the process off /proc.
        for (var i = 0; i < 20 && ProcessesRunning(marker).Length > 0; i++)
        {
            await Task.Delay(50);
        }

        return ProcessesRunning(marker);
    }

    private static void KillAll(string marker)
    {
        foreach (var pid in ProcessesRunning(marker))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    [Fact]
    public async Task A_background_child_of_a_finished_command_is_killed_and_does_not_delay_or_taint_the_result()
    {
        var marker = Marker();
        try
        {
            var watch = Stopwatch.StartNew();

            var result = await Run(Executor(), new { command = "sh", args = new[] { "-c", $"sleep {marker} & echo started" } });

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {watch.Elapsed}");
            Assert.Equal("started\n", result.GetProperty("stdout").GetString());
            Assert.False(result.GetProperty("stdout_truncated").GetBoolean());
            Assert.False(result.GetProperty("stderr_truncated").GetBoolean());
            Assert.Empty(await StillRunningAfterAMomentAsync(marker));
        }
        finally
        {
            KillAll(marker);
        }
    }

    [Fact]
    public async Task A_double_forked_child_does_not_survive_the_timeout_kill()
    {
        var marker = Marker();
        try
        {
            var watch = Stopwatch.StartNew();

            // (sleep &) forks twice: the sleeper's parent exits and it is re-parented, out of the process tree.
            await Assert.ThrowsAsync<TimeoutException>(() =>
                Run(Executor(), new { command = "sh", args = new[] { "-c", $"(sleep {marker} &); sleep 60" }, timeout_seconds = 1 }));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3.5), $"took {watch.Elapsed}");
            Assert.Empty(await StillRunningAfterAMomentAsync(marker));
        }
        finally
        {
            KillAll(marker);
        }
    }

    [Fact]
    public async Task A_child_that_leaves_the_process_group_cannot_hold_the_result_back()
    {
        // The documented limit: setsid escapes the group kill. It must still not delay the task.
        var marker = Marker();
        try
        {
            var watch = Stopwatch.StartNew();

            var result = await Run(Executor(), new { command = "sh", args = new[] { "-c", $"setsid sleep {marker} & echo started" } });

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {watch.Elapsed}");
            Assert.Equal("started\n", result.GetProperty("stdout").GetString());
            Assert.False(result.GetProperty("stdout_truncated").GetBoolean());
        }
        finally
        {
            KillAll(marker);
        }
    }

    [Fact]
    public async Task A_command_cannot_read_the_apps_environment_through_proc()
    {
        var environ = $"/proc/{Environment.ProcessId}/environ";

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(Executor(), new { command = "cat", args = new[] { environ } }));

        Assert.Contains("Permission denied", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH=", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_enabled_executor_makes_the_app_process_non_dumpable()
    {
        _ = Executor();

        // Non-dumpable: a same-uid program without CAP_SYS_PTRACE cannot open /proc/<pid>/environ or mem.
        Assert.Equal(0, LinuxProcessControl.Dumpable());
    }

    [Fact]
    public async Task With_the_protection_switched_off_a_command_reads_what_the_app_can()
    {
        // The threat the setting guards against, shown: the same uid (and, as root, the same capabilities).
        var result = await Run(Executor(protectApp: false), new { command = "cat", args = new[] { $"/proc/{Environment.ProcessId}/environ" } });

        Assert.Contains("PATH=", result.GetProperty("stdout").GetString(), StringComparison.Ordinal);
    }
}
