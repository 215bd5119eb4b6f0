using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DurableFlow.Executors;

/// <summary>
/// The few Linux system calls <see cref="CommandExecutor"/> needs that .NET does not expose: signalling a
/// whole process group, and marking this process non-dumpable.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxProcessControl
{
    private const int SigKill = 9;
    private const int PrSetDumpable = 4;
    private const int PrGetDumpable = 3;
    private const int CapSetPcap = 8;

    /// <summary>Sends SIGKILL to every process of group <paramref name="groupId"/>; false when none is left.</summary>
    public static bool KillGroup(int groupId) => groupId > 1 && NativeMethods.kill(-groupId, SigKill) == 0;

    /// <summary>
    /// Makes this process non-dumpable: /proc/&lt;pid&gt;/environ, mem and friends become readable only with
    /// CAP_SYS_PTRACE, so a same-uid program cannot read the app's settings from them. Also stops core dumps.
    /// </summary>
    public static bool MakeNonDumpable() => NativeMethods.prctl(PrSetDumpable, 0, 0, 0, 0) == 0;

    /// <summary>Whether this process is dumpable (1) or not (0).</summary>
    public static int Dumpable() => NativeMethods.prctl(PrGetDumpable, 0, 0, 0, 0);

    /// <summary>Whether this process may drop capabilities from a child's bounding set (CAP_SETPCAP).</summary>
    public static bool CanDropBoundingSet()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null
                && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var effective)
                && (effective & (1UL << CapSetPcap)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054, CA5392 // plain blittable calls; LibraryImport would need unsafe code enabled
        public static extern int kill(int pid, int sig);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
#pragma warning restore SYSLIB1054, CA5392
    }
}
