using System.Text.Json;
using DurableFlow.Executors;
using static DurableFlow.Testing.ExecutorTestSupport;

namespace DurableFlow.Tests.Executors;

public class SystemInfoExecutorTests
{
    private static readonly SystemInfoExecutor Executor = new();

    [Fact]
    public async Task Cpu_reports_this_machines_cores_architecture_and_os()
    {
        var cpu = await Executor.ExecuteAsync(Context("""{"resource":"cpu"}"""));

        Assert.Equal(Environment.ProcessorCount, cpu.GetProperty("logical_cores").GetInt32());
        Assert.Equal(
            System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            cpu.GetProperty("architecture").GetString());
        Assert.False(string.IsNullOrWhiteSpace(cpu.GetProperty("os_description").GetString()));
        var load = cpu.GetProperty("load_average");
        if (OperatingSystem.IsLinux())
        {
            Assert.True(load.GetProperty("one").GetDouble() >= 0);
            Assert.True(load.GetProperty("fifteen").GetDouble() >= 0);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, load.ValueKind);
        }

        Assert.False(cpu.TryGetProperty("memory", out _));
    }

    [Fact]
    public async Task Memory_reports_real_totals()
    {
        var memory = await Executor.ExecuteAsync(Context("""{"resource":"memory"}"""));

        var total = memory.GetProperty("total_bytes").GetInt64();
        Assert.True(total > 0);
        Assert.True(memory.GetProperty("process_working_set_bytes").GetInt64() > 0);
        if (OperatingSystem.IsLinux())
        {
            var available = memory.GetProperty("available_bytes").GetInt64();
            Assert.InRange(available, 1, total);
        }
    }

    [Fact]
    public async Task Disk_reports_real_drives_with_total_at_least_free()
    {
        var disk = await Executor.ExecuteAsync(Context("""{"resource":"disk"}"""));

        var drives = disk.GetProperty("drives").EnumerateArray().ToList();
        Assert.NotEmpty(drives);
        Assert.All(drives, drive =>
        {
            Assert.True(drive.GetProperty("total_bytes").GetInt64() > 0);
            Assert.InRange(drive.GetProperty("free_bytes").GetInt64(), 0, drive.GetProperty("total_bytes").GetInt64());
            Assert.False(string.IsNullOrEmpty(drive.GetProperty("name").GetString()));
            Assert.Equal(JsonValueKind.String, drive.GetProperty("format").ValueKind);
        });
        Assert.DoesNotContain(drives, d => d.GetProperty("format").GetString() is "proc" or "sysfs");
    }

    [Theory]
    [InlineData("""{"resource":"all"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"resource":null}""")]
    public async Task All_is_the_default_and_has_the_three_sections(string inputs)
    {
        var all = await Executor.ExecuteAsync(Context(inputs));

        Assert.Equal(["cpu", "disk", "memory"], all.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(Environment.ProcessorCount, all.GetProperty("cpu").GetProperty("logical_cores").GetInt32());
        Assert.True(all.GetProperty("memory").GetProperty("total_bytes").GetInt64() > 0);
        Assert.NotEmpty(all.GetProperty("disk").GetProperty("drives").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"resource":"gpu"}""", "unknown resource 'gpu': use cpu, memory, disk or all")]
    [InlineData("""{"resource":"CPU"}""", "unknown resource 'CPU': use cpu, memory, disk or all")]
    [InlineData("""{"resource":3}""", "inputs.resource must be a string, got a number")]
    [InlineData("""{"resource":["cpu"]}""", "inputs.resource must be a string, got an array")]
    [InlineData("""{"resourse":"cpu"}""", "inputs.resourse is not an input of this executor; its inputs are: resource")]
    [InlineData("""[1]""", "inputs must be a JSON object, got an array")]
    public async Task Bad_inputs_fail_with_a_clear_message(string inputs, string message)
    {
        var ex = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Executor.ExecuteAsync(Context(inputs)));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Demo_result_has_the_requested_shape()
    {
        var demo = Executor.DemoResult(Context("""{"resource":"memory"}"""));

        Assert.True(demo.GetProperty("total_bytes").GetInt64() > 0);
        Assert.Throws<InvalidTaskInputException>(() => Executor.DemoResult(Context("""{"resource":"gpu"}""")));
    }

    [Fact]
    public void Parses_proc_files()
    {
        Assert.Equal((0.5, 1.25, 2.0), SystemInfoExecutor.ParseLoadAverage("0.50 1.25 2.00 1/123 4567\n"));
        Assert.Null(SystemInfoExecutor.ParseLoadAverage("garbage"));
        Assert.Equal(
            (2048L * 1024, 1024L * 1024),
            SystemInfoExecutor.ParseMemInfo("MemTotal:        2048 kB\nMemFree:  10 kB\nMemAvailable:    1024 kB\n"));
        Assert.Equal((null, null), SystemInfoExecutor.ParseMemInfo(""));
    }
}
