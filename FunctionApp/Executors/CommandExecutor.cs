using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace DurableFlow.Executors;

/// <summary>
/// <c>command_executor</c>: runs one allow-listed program, without a shell, and returns
/// <c>exit_code</c>, <c>stdout</c>, <c>stderr</c> (each capped, with <c>*_truncated</c> flags) and
/// <c>elapsed_ms</c>; a non-zero exit fails the task.
/// <para>
/// Off unless <c>CommandExecutor:Enabled</c> is true. It stays registered while off, on purpose: the set
/// of valid trees and <c>GET /api/executors</c> are then the same on every host whatever its settings,
/// demo runs (<c>use_demo</c>) still work, and a real run fails with a message naming the settings to
/// change, instead of an <c>unknown_executor</c> error that reads like a typo in the tree.
/// </para>
/// <para>
/// Safety: the task's <c>command</c> must equal an <c>CommandExecutor:AllowedCommands</c> entry exactly
/// (so <c>../echo</c> or <c>/tmp/echo</c> do not match <c>echo</c>); bare names are resolved on absolute
/// PATH entries only (never the app or working directory); arguments go through
/// <see cref="ProcessStartInfo.ArgumentList"/> so nothing is interpreted by a shell; the child gets a
/// minimal environment, not the app's settings and secrets; stdin is closed. On Linux each command runs
/// in its own process group (started through util-linux <c>setsid</c>), and the whole group is killed
/// when the command exits, times out or is cancelled; with <c>CommandExecutor:ProtectAppProcesses</c>
/// (default on) it also runs without capabilities and with <c>no_new_privs</c> (util-linux
/// <c>setpriv</c>), and the app's process is non-dumpable, so the command cannot read the app's
/// environment through /proc. A command still runs as the app's user: it can read what that user can.
/// </para>
/// </summary>
public sealed class CommandExecutor : ITaskExecutor
{
    public const string ExecutorName = "command_executor";

    /// <summary>The error of every task while the executor is off.</summary>
    public const string DisabledMessage =
        "command_executor is disabled: set CommandExecutor:Enabled=true and list programs in CommandExecutor:AllowedCommands";

    private const int ErrorExcerptChars = 500;

    /// <summary>
    /// How long output is still read once the command's group is gone: what it wrote is in the pipe
    /// already, and only a process that left the group (setsid) can still hold the pipe open.
    /// </summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>Environment variables passed to the child; everything else (connection strings, keys) is withheld.</summary>
    private static readonly string[] PassedEnvironment =
    [
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TMP", "TEMP",
        "SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT", "SYSTEMDRIVE", "USERPROFILE", "PROGRAMDATA",
        "PROGRAMFILES", "APPDATA", "LOCALAPPDATA", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "OS",
    ];

    private readonly CommandExecutorOptions _options;
    private readonly IReadOnlyList<string> _allowed;

    public CommandExecutor(IOptions<CommandExecutorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _allowed = _options.AllowedCommandList();
        if (_options.Enabled && _options.ProtectAppProcesses && OperatingSystem.IsLinux())
        {
            // Before any command can run: /proc/<this pid>/environ then needs CAP_SYS_PTRACE to read.
            LinuxProcessControl.MakeNonDumpable();
        }
    }

    public string Name => ExecutorName;

    public string Description => _options.Enabled
        ? "Runs an allow-listed program (no shell) and returns its exit code, stdout and stderr."
        : "Runs an allow-listed program (no shell). Disabled on this host: set CommandExecutor:Enabled=true.";

    // The limit and default it states are the constants ReadInputs applies.
    public IReadOnlyList<ExecutorInput> Inputs { get; } =
    [
        new("command", "string", true, "Program to run; must equal an entry of CommandExecutor:AllowedCommands."),
        new("args", "array", false, "Arguments, each passed as is (no shell, no globbing)."),
        new("timeout_seconds", "number", false,
            string.Create(CultureInfo.InvariantCulture, $"Kill the process tree after this long; more than 0 and at most {CommandExecutorOptions.MaxTimeoutSeconds}."),
            CommandExecutorOptions.DefaultTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
    ];

    public async Task<JsonElement> ExecuteAsync(TaskExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_options.Enabled)
        {
            throw new InvalidOperationException(DisabledMessage);
        }

        var (command, args, timeoutSeconds) = ReadInputs(context);
        var program = Resolve(command);
        var (launch, ownGroup) = Launcher(program);
        var start = new ProcessStartInfo(launch[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var arg in launch.Skip(1).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        var inherited = start.Environment.ToList();
        start.Environment.Clear();
        foreach (var (name, value) in inherited)
        {
            if (PassedEnvironment.Contains(name, StringComparer.OrdinalIgnoreCase) || name.StartsWith("LC_", StringComparison.Ordinal))
            {
                start.Environment[name] = value;
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"command '{command}' could not be started: {ex.Message}", ex);
        }

        // No stdin: a program that reads it gets end-of-file instead of waiting for the timeout.
        process.StandardInput.Close();
        using var drain = new CancellationTokenSource();
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, _options.MaxOutputBytes, drain.Token);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream, _options.MaxOutputBytes, drain.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            KillGroup(process, ownGroup);
            await WaitAfterKillAsync(process);
            await FinishReadsAsync(drain, stdout, stderr);
            context.CancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"command '{command}' did not finish within {timeoutSeconds.ToString(CultureInfo.InvariantCulture)} s (inputs.timeout_seconds); its process tree was killed");
        }

        // The command is done; whatever it left running in the background goes with it.
        KillGroup(process, ownGroup);
        await FinishReadsAsync(drain, stdout, stderr);
        stopwatch.Stop();
        var (outText, outTruncated) = Decode(stdout.Result);
        var (errText, errTruncated) = Decode(stderr.Result);
        if (process.ExitCode != 0)
        {
            var excerpt = errText.Trim();
            excerpt = excerpt.Length > ErrorExcerptChars ? excerpt[..ErrorExcerptChars] + "…" : excerpt;
            throw new InvalidOperationException(
                $"command '{command}' exited with code {process.ExitCode}; stderr: {(excerpt.Length > 0 ? excerpt : "(empty)")}");
        }

        return ExecutorJson.ToElement(new JsonObject
        {
            ["exit_code"] = process.ExitCode,
            ["stdout"] = outText,
            ["stderr"] = errText,
            ["stdout_truncated"] = outTruncated,
            ["stderr_truncated"] = errTruncated,
            ["elapsed_ms"] = ExecutorJson.Milliseconds(stopwatch.Elapsed),
        });
    }

    /// <summary>A fixed result; inputs are still checked (against the allow-list too, when enabled).</summary>
    public JsonElement DemoResult(TaskExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (command, _, _) = ReadInputs(context);
        if (_options.Enabled)
        {
            CheckAllowed(command);
        }

        return ExecutorJson.ToElement(new JsonObject
        {
            ["exit_code"] = 0,
            ["stdout"] = "demo",
            ["stderr"] = "",
            ["stdout_truncated"] = false,
            ["stderr_truncated"] = false,
            ["elapsed_ms"] = 0,
        });
    }

    /// <summary>
    /// The program and leading arguments that start <paramref name="program"/>: on Linux through
    /// <c>setsid</c> (a process group of its own, whose id is the child's pid, since setsid execs in place)
    /// and, when protecting the app, <c>setpriv</c> (no capabilities, no_new_privs).
    /// </summary>
    private (string[] Launch, bool OwnGroup) Launcher(string program)
    {
        if (!OperatingSystem.IsLinux())
        {
            return ([program], false);
        }

        if (!File.Exists(program))
        {
            // Checked here because the wrappers would start fine and only then fail to exec it.
            throw new InvalidOperationException($"command '{program}' could not be started: no such file");
        }

        var launch = new List<string>();
        var setsid = FindOnPath("setsid");
        if (setsid is not null)
        {
            launch.AddRange([setsid, "--"]);
        }

        if (_options.ProtectAppProcesses)
        {
            var setpriv = FindOnPath("setpriv") ?? throw new InvalidOperationException(
                "command_executor cannot drop the command's privileges: util-linux 'setpriv' is not on PATH; install util-linux or set CommandExecutor:ProtectAppProcesses=false");
            launch.AddRange([setpriv, "--no-new-privs", "--inh-caps=-all", "--ambient-caps=-all"]);
            if (LinuxProcessControl.CanDropBoundingSet())
            {
                // Without this a root app's command would get every capability back at exec.
                launch.Add("--bounding-set=-all");
            }

            launch.Add("--");
        }

        launch.Add(program);
        return ([.. launch], setsid is not null);
    }

    private (string Command, IReadOnlyList<string> Args, double TimeoutSeconds) ReadInputs(TaskExecutionContext context)
    {
        var inputs = new TaskInputs(context.Inputs, Inputs);
        var command = inputs.GetRequiredString("command");
        var args = inputs.GetStringArray("args");
        var timeoutSeconds = inputs.GetNumber("timeout_seconds", CommandExecutorOptions.DefaultTimeoutSeconds, 0, CommandExecutorOptions.MaxTimeoutSeconds);
        return (command, args, timeoutSeconds);
    }

    private void CheckAllowed(string command)
    {
        // Exact, ordinal match on the string the task gave: no normalisation that could make
        // "../bin/echo" or "ECHO" equal an entry.
        if (!_allowed.Contains(command, StringComparer.Ordinal))
        {
            var listed = _allowed.Count == 0 ? "nothing" : string.Join(", ", _allowed);
            throw new InvalidTaskInputException($"command '{command}' is not allowed: CommandExecutor:AllowedCommands lists {listed}");
        }
    }

    private string Resolve(string command)
    {
        CheckAllowed(command);
        if (OperatingSystem.IsWindows() && (command.EndsWith(".cmd", StringComparison.OrdinalIgnoreCase) || command.EndsWith(".bat", StringComparison.OrdinalIgnoreCase)))
        {
            // Batch files run through cmd.exe, which re-parses arguments: that is a shell.
            throw new InvalidTaskInputException($"command '{command}' is a batch file, which would run through cmd.exe; list an executable instead");
        }

        if (command.Contains('/') || command.Contains('\\'))
        {
            return command; // listed with its path by the operator: used as given
        }

        return FindOnPath(command)
            ?? throw new InvalidOperationException($"command '{command}' is allowed but was not found on PATH");
    }

    /// <summary>
    /// Finds <paramref name="name"/> in the absolute PATH entries. Done here rather than by
    /// <see cref="Process"/>, which would also look in the app's and the current directory first.
    /// </summary>
    internal static string? FindOnPath(string name)
    {
        var candidates = OperatingSystem.IsWindows() && !Path.HasExtension(name) ? [name + ".exe", name + ".com"] : new[] { name };
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Path.IsPathFullyQualified(directory))
            {
                continue; // "." or relative entries would let the working directory choose the program
            }

            foreach (var candidate in candidates)
            {
                var full = Path.Combine(directory, candidate);
                if (File.Exists(full) && IsExecutable(full))
                {
                    return full;
                }
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>Keeps the first <paramref name="max"/> bytes and drains the rest, so the child never blocks on a full pipe.</summary>
    private static async Task<(byte[] Bytes, bool Truncated)> ReadCappedAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        using var kept = new MemoryStream();
        var truncated = false;
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                var room = max - (int)kept.Length;
                if (read > room)
                {
                    truncated = true;
                }

                kept.Write(chunk, 0, Math.Min(read, Math.Max(room, 0)));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped waiting for a pipe held open by a process outside the command's group (see
            // FinishReadsAsync): nothing of the command's own output was discarded, so not "truncated".
        }

        return (kept.ToArray(), truncated);
    }

    private static async Task FinishReadsAsync(CancellationTokenSource drain, Task stdout, Task stderr)
    {
        // The pipes close when the process group is gone; a process that left the group and holds them
        // open must not hold the result back, so stop reading after a short grace period.
        drain.CancelAfter(OutputGrace);
        await Task.WhenAll(stdout, stderr);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited, or gone between the check and the kill.
        }
    }

    private static void KillGroup(Process process, bool ownGroup)
    {
        if (ownGroup && OperatingSystem.IsLinux())
        {
            LinuxProcessControl.KillGroup(process.Id);
        }
    }

    private static async Task WaitAfterKillAsync(Process process)
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // Could not be reaped in time; the task fails anyway and the OS finishes the kill.
        }
    }

    private static (string Text, bool Truncated) Decode((byte[] Bytes, bool Truncated) output) =>
        (Encoding.UTF8.GetString(output.Bytes), output.Truncated);
}
