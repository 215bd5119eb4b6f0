using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableFlow.Executors;

/// <summary>
/// <c>system_info_executor</c>: reports this machine's CPU, memory and disks (input <c>resource</c>:
/// <c>cpu</c>, <c>memory</c>, <c>disk</c> or <c>all</c>). Values are read live; on Linux from
/// <c>/proc</c>, elsewhere from .NET APIs, with <c>null</c> where a platform has no equivalent.
/// </summary>
public sealed class SystemInfoExecutor : ITaskExecutor
{
    public const string ExecutorName = "system_info_executor";

    private static readonly string[] Resources = ["cpu", "memory", "disk", "all"];

    /// <summary>Reads only; a re-delivered attempt may run it again.</summary>
    bool ITaskExecutor.HasSideEffects => false;

    public string Name => ExecutorName;

    public string Description => "Reports this machine's CPU, memory and disk figures.";

    public IReadOnlyList<ExecutorInput> Inputs { get; } =
    [
        new("resource", "string", false, "What to report: cpu, memory, disk or all.", "all"),
    ];

    public Task<JsonElement> ExecuteAsync(TaskExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resource = ReadResource(context);
        context.CancellationToken.ThrowIfCancellationRequested();
        JsonNode result = resource switch
        {
            "cpu" => Cpu(),
            "memory" => Memory(),
            "disk" => Disk(),
            _ => new JsonObject { ["cpu"] = Cpu(), ["memory"] = Memory(), ["disk"] = Disk() },
        };
        return Task.FromResult(ExecutorJson.ToElement(result));
    }

    public JsonElement DemoResult(TaskExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resource = ReadResource(context);
        var cpu = new JsonObject
        {
            ["logical_cores"] = 4,
            ["architecture"] = "x64",
            ["process_architecture"] = "x64",
            ["os_description"] = "demo",
            ["load_average"] = new JsonObject { ["one"] = 0.5, ["five"] = 0.4, ["fifteen"] = 0.3 },
        };
        var memory = new JsonObject
        {
            ["total_bytes"] = 8L << 30,
            ["available_bytes"] = 4L << 30,
            ["limit_bytes"] = null,
            ["process_working_set_bytes"] = 100L << 20,
        };
        var disk = new JsonObject
        {
            ["drives"] = new JsonArray(new JsonObject
            {
                ["name"] = "/",
                ["format"] = "ext4",
                ["total_bytes"] = 100L << 30,
                ["free_bytes"] = 50L << 30,
            }),
        };
        JsonNode result = resource switch
        {
            "cpu" => cpu,
            "memory" => memory,
            "disk" => disk,
            _ => new JsonObject { ["cpu"] = cpu, ["memory"] = memory, ["disk"] = disk },
        };
        return ExecutorJson.ToElement(result);
    }

    private string ReadResource(TaskExecutionContext context)
    {
        var resource = new TaskInputs(context.Inputs, Inputs).GetString("resource", "all")!;
        return Resources.Contains(resource, StringComparer.Ordinal)
            ? resource
            : throw new InvalidTaskInputException($"unknown resource '{resource}': use cpu, memory, disk or all");
    }

    private static JsonObject Cpu()
    {
        var load = OperatingSystem.IsLinux() ? ParseLoadAverage(TryRead("/proc/loadavg")) : null;
        return new JsonObject
        {
            ["logical_cores"] = Environment.ProcessorCount,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            ["process_architecture"] = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            ["os_description"] = RuntimeInformation.OSDescription,
            ["load_average"] = load is { } l
                ? new JsonObject { ["one"] = l.One, ["five"] = l.Five, ["fifteen"] = l.Fifteen }
                : null,
        };
    }

    private static JsonObject Memory()
    {
        long? total = null;
        long? available = null;
        if (OperatingSystem.IsLinux())
        {
            (total, available) = ParseMemInfo(TryRead("/proc/meminfo"));
        }

        // Outside Linux (or without /proc), the GC's view is the best portable figure for the total;
        // there is no portable "available", so it stays null rather than a guess.
        total ??= GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new JsonObject
        {
            ["total_bytes"] = total,
            ["available_bytes"] = available,
            // /proc/meminfo shows the host inside a container; the cgroup limit is what this app may use.
            ["limit_bytes"] = OperatingSystem.IsLinux() ? CgroupMemoryLimit(total) : null,
            ["process_working_set_bytes"] = process.WorkingSet64,
        };
    }

    private static JsonObject Disk()
    {
        var drives = new JsonArray();
        foreach (var drive in DriveInfo.GetDrives())
        {
            try
            {
                // Pseudo filesystems (proc, sysfs, cgroup...) report a size of 0: not disks.
                if (!drive.IsReady || drive.TotalSize <= 0)
                {
                    continue;
                }

                drives.Add(new JsonObject
                {
                    ["name"] = drive.Name,
                    ["format"] = drive.DriveFormat,
                    ["total_bytes"] = drive.TotalSize,
                    ["free_bytes"] = drive.AvailableFreeSpace,
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A mount we may not stat (permissions, a vanished network share) is skipped, not fatal.
            }
        }

        return new JsonObject { ["drives"] = drives };
    }

    /// <summary>Reads the 1/5/15-minute load averages from <c>/proc/loadavg</c> text.</summary>
    internal static (double One, double Five, double Fifteen)? ParseLoadAverage(string? text)
    {
        var parts = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: >= 3 })
        {
            return null;
        }

        var values = new double[3];
        for (var i = 0; i < 3; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return (values[0], values[1], values[2]);
    }

    /// <summary>Reads MemTotal and MemAvailable (kB in the file) as bytes from <c>/proc/meminfo</c> text.</summary>
    internal static (long? Total, long? Available) ParseMemInfo(string? text)
    {
        long? total = null;
        long? available = null;
        foreach (var line in (text ?? "").Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                continue;
            }

            var bytes = parts.Length > 2 && parts[2] == "kB" ? kb * 1024 : kb;
            switch (parts[0])
            {
                case "MemTotal:":
                    total = bytes;
                    break;
                case "MemAvailable:":
                    available = bytes;
                    break;
            }
        }

        return (total, available);
    }

    private static long? CgroupMemoryLimit(long? total)
    {
        // cgroup v2 writes "max" for no limit; v1 writes a huge number. Either way, a "limit" at or above
        // the machine's memory is no limit.
        var text = TryRead("/sys/fs/cgroup/memory.max") ?? TryRead("/sys/fs/cgroup/memory/memory.limit_in_bytes");
        if (!long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            return null;
        }

        return total is { } t && limit >= t ? null : limit;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
