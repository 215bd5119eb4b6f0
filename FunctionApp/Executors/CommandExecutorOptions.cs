namespace DurableFlow.Executors;

/// <summary>
/// Settings of <c>command_executor</c>, bound from the <c>CommandExecutor</c> configuration section
/// (app settings <c>CommandExecutor__Enabled</c>, <c>CommandExecutor__AllowedCommands</c>, ...).
/// </summary>
public sealed class CommandExecutorOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "CommandExecutor";

    /// <summary>The <c>timeout_seconds</c> of a task that gives none.</summary>
    public const double DefaultTimeoutSeconds = 60;

    /// <summary>Longest <c>timeout_seconds</c> a task may ask for.</summary>
    public const double MaxTimeoutSeconds = 3600;

    /// <summary>Largest <see cref="MaxOutputBytes"/> accepted: output is stored with the task's result.</summary>
    public const int MaxOutputBytesLimit = 16 * 1024 * 1024;

    /// <summary>Whether the executor runs anything. Off by default: running programs is opt-in.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The programs tasks may run, separated by commas or semicolons (one string, so it fits one app
    /// setting), e.g. <c>echo;python3;/opt/tools/report</c>. A task's <c>command</c> must equal one entry
    /// exactly; bare names are looked up on PATH.
    /// </summary>
    public string AllowedCommands { get; set; } = "";

    /// <summary>Bytes of stdout and of stderr kept (each); the rest is read and discarded. Default 64 KiB.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// On Linux: run each command with no capabilities and <c>no_new_privs</c> (through util-linux
    /// <c>setpriv</c>), and make the app's worker process non-dumpable, so a command cannot read the app's
    /// environment or memory through /proc. Default on; see docs/executors.md for what it does not cover.
    /// </summary>
    public bool ProtectAppProcesses { get; set; } = true;

    /// <summary>The parsed <see cref="AllowedCommands"/> entries, trimmed, without empties.</summary>
    public IReadOnlyList<string> AllowedCommandList() =>
        AllowedCommands.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
