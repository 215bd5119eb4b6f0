using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DurableFlow.Tests.Infra;

namespace DurableFlow.Tests.LocalDev;

/// <summary>
/// Runs the real start.sh with bash, in a copy of the repository's relevant files (so the real
/// local.settings.json is never touched), with a PATH that holds only the tools it needs and a fake
/// `func` that records its working directory, arguments and whether Azurite answered.
/// </summary>
public sealed class StartScriptTests : IDisposable
{
    // What start.sh and Azurite's launcher run (besides bash builtins). `func` is deliberately absent.
    private static readonly string[] Tools =
    [
        "bash", "env", "node", "npm", "dotnet", "basename", "dirname", "tr", "head", "seq", "mkdir", "cp", "tail",
        "sleep", "cat",
    ];

    private readonly string _dir;
    private readonly string _app;
    private readonly string _bin;
    private readonly string _funcLog;

    public StartScriptTests()
    {
        _dir = Directory.CreateTempSubdirectory("durableflow-start-").FullName;
        _app = Path.Combine(_dir, "app");
        _bin = Path.Combine(_dir, "bin");
        _funcLog = Path.Combine(_dir, "func.log");
        Directory.CreateDirectory(Path.Combine(_app, "FunctionApp"));
        Directory.CreateDirectory(_bin);
        foreach (var file in new[] { "start.sh", "host.json", "local.settings.sample.json" })
        {
            File.Copy(RepoPaths.Of(file), Path.Combine(_app, file));
        }

        var nodeModules = RepoPaths.Of("node_modules");
        if (Directory.Exists(nodeModules))
        {
            File.CreateSymbolicLink(Path.Combine(_app, "node_modules"), nodeModules);
        }

        foreach (var tool in Tools)
        {
            if (FindOnPath(tool) is { } path)
            {
                File.CreateSymbolicLink(Path.Combine(_bin, tool), path);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }

    private string Settings => Path.Combine(_app, "local.settings.json");

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    private static string Bash => FindOnPath("bash") ?? "/bin/bash";

    private void InstallFakeFunc(string version = "4.0.7030")
    {
        var path = Path.Combine(_bin, "func");
        File.WriteAllText(path, $$"""
            #!{{Bash}}
            if [ "$1" = --version ]; then echo "{{version}}"; exit 0; fi
            {
              echo "cwd=$PWD"
              for a in "$@"; do echo "arg=$a"; done
              if (echo >"/dev/tcp/127.0.0.1/${AZURITE_TABLE_PORT:-10002}") 2>/dev/null; then echo "azurite=up"; else echo "azurite=down"; fi
              echo "storage=${AzureWebJobsStorage:-}"
            } >"{{_funcLog}}"
            exit "${FAKE_FUNC_EXIT:-0}"
            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private sealed record Run(int ExitCode, string Out, string Err)
    {
        public string All => Out + Err;
    }

    private async Task<Run> RunAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Bash)
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(_app, "start.sh"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = _bin;
        startInfo.Environment["HOME"] = _dir;
        startInfo.Environment["AZURITE_WAIT_SECONDS"] = "40";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"start.sh did not finish in 90 s: {await stdout}{await stderr}");
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
            listeners.ForEach(l => l.Dispose());
        }
    }

    private static Dictionary<string, string> PortEnvironment(int[] ports) => new()
    {
        ["AZURITE_BLOB_PORT"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AZURITE_QUEUE_PORT"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AZURITE_TABLE_PORT"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private string[] FuncLog() => File.Exists(_funcLog) ? File.ReadAllLines(_funcLog) : [];

    [Fact]
    public async Task Missing_func_fails_with_the_install_commands_and_no_stack_trace()
    {
        var run = await RunAsync(null);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("npm i -g azure-functions-core-tools@4 --unsafe-perm true", run.Err, StringComparison.Ordinal);
        Assert.Contains("brew install azure-functions-core-tools@4", run.Err, StringComparison.Ordinal);
        Assert.Contains("winget install Microsoft.Azure.FunctionsCoreTools", run.Err, StringComparison.Ordinal);
        Assert.Contains("apt-get install azure-functions-core-tools-4", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(": line ", run.All, StringComparison.Ordinal); // bash's own error format
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
        Assert.False(File.Exists(Settings));
    }

    [Fact]
    public async Task Func_of_another_major_version_is_refused()
    {
        InstallFakeFunc(version: "3.0.3904");

        var run = await RunAsync(null, "--no-azurite");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Core Tools v4 is required", run.Err, StringComparison.Ordinal);
        Assert.Contains("3.0.3904", run.Err, StringComparison.Ordinal);
        Assert.Empty(FuncLog());
    }

    [Fact]
    public async Task An_unknown_argument_prints_the_usage_and_fails()
    {
        InstallFakeFunc();

        var run = await RunAsync(null, "--bogus");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown argument: --bogus", run.Err, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Err, StringComparison.Ordinal);
        Assert.Empty(FuncLog());
    }

    [Fact]
    public async Task Help_prints_the_usage()
    {
        var run = await RunAsync(null, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains("--no-azurite", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_without_Azurite_creates_the_settings_and_does_not_run_func()
    {
        InstallFakeFunc();

        var run = await RunAsync(null, "--check", "--no-azurite");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Equal(File.ReadAllText(Path.Combine(_app, "local.settings.sample.json")), File.ReadAllText(Settings));
        Assert.Empty(FuncLog());
    }

    [Fact]
    public async Task Starts_Azurite_creates_the_settings_runs_func_in_FunctionApp_and_stops_Azurite()
    {
        Assert.True(File.Exists(Path.Combine(_app, "node_modules", ".bin", "azurite")),
            "node_modules/.bin/azurite is missing: run ./test.sh (it runs npm ci) or npm ci");
        InstallFakeFunc();
        var ports = FreePorts(3);
        var environment = PortEnvironment(ports);
        environment["FAKE_FUNC_EXIT"] = "3";

        var run = await RunAsync(environment, "--port", "7072", "--", "--cors", "http://example.test");

        Assert.True(run.ExitCode == 3, $"func's exit code should be the script's; got {run.ExitCode}: {run.All}");
        Assert.Contains("starting Azurite", run.Out, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(_app, "local.settings.sample.json")), File.ReadAllText(Settings));
        var log = FuncLog();
        Assert.Equal(
            [$"cwd={Path.Combine(_app, "FunctionApp")}", "arg=start", "arg=--port", "arg=7072", "arg=--cors", "arg=http://example.test", "azurite=up"],
            log.Take(7));
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1", log[7], StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_app, ".azurite")));
        Assert.All(ports, port => Assert.False(Listening(port), $"Azurite still listens on {port} after func exited"));
    }

    [Fact]
    public async Task Reuses_a_listening_Azurite_without_stopping_it_and_keeps_existing_settings()
    {
        InstallFakeFunc();
        const string mySettings = """{ "IsEncrypted": false, "Values": { "Mine": "yes" } }""";
        File.WriteAllText(Settings, mySettings);
        var listeners = new[] { new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0) };
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();

            var run = await RunAsync(PortEnvironment(ports));

            Assert.True(run.ExitCode == 0, run.All);
            Assert.Contains("reusing it", run.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("starting Azurite", run.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("stopping Azurite", run.Out, StringComparison.Ordinal);
            Assert.Equal(mySettings, File.ReadAllText(Settings));
            Assert.Equal([$"cwd={Path.Combine(_app, "FunctionApp")}", "arg=start", "azurite=up"], FuncLog().Take(3));
            Assert.All(ports, port => Assert.True(Listening(port), $"the reused listener on {port} was stopped"));
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    [Fact]
    public async Task Partly_taken_Azurite_ports_fail_clearly()
    {
        InstallFakeFunc();
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var ports = FreePorts(3);
        ports[0] = ((IPEndPoint)blocker.LocalEndpoint).Port;

        var run = await RunAsync(PortEnvironment(ports));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("taken by something else", run.Err, StringComparison.Ordinal);
        Assert.Empty(FuncLog());
    }
}
