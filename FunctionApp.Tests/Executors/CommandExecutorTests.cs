using System.Diagnostics;
using System.Text.Json;
using DurableFlow.Executors;
using Microsoft.Extensions.Options;
using static DurableFlow.Testing.ExecutorTestSupport;

namespace DurableFlow.Tests.Executors;

public class CommandExecutorTests
{
    private static CommandExecutor Executor(string allowed = "echo;false;sleep;seq;env;cat", bool enabled = true, int maxOutputBytes = 64 * 1024) =>
        new(Options.Create(new CommandExecutorOptions { Enabled = enabled, AllowedCommands = allowed, MaxOutputBytes = maxOutputBytes }));

    private static Task<JsonElement> Run(CommandExecutor executor, object inputs, CancellationToken cancellationToken = default) =>
        executor.ExecuteAsync(Context(JsonSerializer.Serialize(inputs), cancellationToken: cancellationToken));

    [Fact]
    public async Task Is_disabled_by_default_and_says_which_settings_enable_it()
    {
        var executor = new CommandExecutor(Options.Create(new CommandExecutorOptions { AllowedCommands = "echo" }));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(executor, new { command = "echo", args = new[] { "hi" } }));

        Assert.Equal(
            "command_executor is disabled: set CommandExecutor:Enabled=true and list programs in CommandExecutor:AllowedCommands",
            ex.Message);
        Assert.Contains("Disabled on this host", executor.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_an_allowed_program_and_returns_its_output()
    {
        var result = await Run(Executor(), new { command = "echo", args = new[] { "hello", "world" } });

        Assert.Equal(0, result.GetProperty("exit_code").GetInt32());
        Assert.Equal("hello world\n", result.GetProperty("stdout").GetString());
        Assert.Equal("", result.GetProperty("stderr").GetString());
        Assert.False(result.GetProperty("stdout_truncated").GetBoolean());
        Assert.True(result.GetProperty("elapsed_ms").GetInt64() >= 0);
    }

    [Fact]
    public async Task Arguments_reach_the_program_literally_with_no_shell()
    {
        var result = await Run(Executor(), new { command = "echo", args = new[] { "$(whoami); ls", "*", "`id`", "a|b", "$HOME" } });

        Assert.Equal("$(whoami); ls * `id` a|b $HOME\n", result.GetProperty("stdout").GetString());
    }

    [Theory]
    [InlineData("rm")]
    [InlineData("/bin/echo")]
    [InlineData("../echo")]
    [InlineData("./echo")]
    [InlineData("ECHO")]
    [InlineData("echo ")]
    [InlineData("echo;rm")]
    public async Task Commands_not_listed_exactly_are_rejected(string command)
    {
        var ex = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Run(Executor(), new { command }));

        Assert.Contains($"command '{command}' is not allowed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_listed_with_its_path_runs_as_given()
    {
        var echo = CommandExecutor.FindOnPath("echo")!;

        var result = await Run(Executor(allowed: $"seq, {echo}"), new { command = echo, args = new[] { "x" } });

        Assert.Equal("x\n", result.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task An_empty_allow_list_rejects_everything()
    {
        var ex = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Run(Executor(allowed: " ; , "), new { command = "echo" }));

        Assert.Contains("AllowedCommands lists nothing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_exit_code_and_stderr()
    {
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(Executor(), new { command = "false" }));
        var withStderr = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Run(Executor(), new { command = "cat", args = new[] { "/definitely/not/here" } }));

        Assert.Equal("command 'false' exited with code 1; stderr: (empty)", failed.Message);
        Assert.StartsWith("command 'cat' exited with code 1; stderr: ", withStderr.Message, StringComparison.Ordinal);
        Assert.Contains("cat: /definitely/not/here: No such file or directory", withStderr.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_past_its_timeout_is_killed_quickly()
    {
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => Run(Executor(), new { command = "sleep", args = new[] { "5" }, timeout_seconds = 1 }));

        Assert.Contains("did not finish within 1 s", ex.Message, StringComparison.Ordinal);
        Assert.Contains("killed", ex.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Cancellation_kills_the_program_and_is_not_reported_as_a_timeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(Executor(), new { command = "sleep", args = new[] { "5" } }, cts.Token));

        Assert.IsNotType<TimeoutException>(ex);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_truncated_and_flagged()
    {
        // seq 1 100000 prints 588,895 bytes; the program still runs to completion (the rest is drained).
        var result = await Run(Executor(), new { command = "seq", args = new[] { "1", "100000" } });
        var small = await Run(Executor(maxOutputBytes: 10), new { command = "seq", args = new[] { "1", "3" } });

        var stdout = result.GetProperty("stdout").GetString()!;
        Assert.Equal(64 * 1024, stdout.Length);
        Assert.StartsWith("1\n2\n3\n", stdout, StringComparison.Ordinal);
        Assert.True(result.GetProperty("stdout_truncated").GetBoolean());
        Assert.Equal(0, result.GetProperty("exit_code").GetInt32());
        Assert.Equal("1\n2\n3\n", small.GetProperty("stdout").GetString());
        Assert.False(small.GetProperty("stdout_truncated").GetBoolean());
    }

    [Fact]
    public async Task The_child_gets_a_minimal_environment_without_the_apps_secrets()
    {
        Environment.SetEnvironmentVariable("DURABLEFLOW_TEST_SECRET", "hunter2");
        try
        {
            var result = await Run(Executor(), new { command = "env" });

            var stdout = result.GetProperty("stdout").GetString()!;
            Assert.Contains("PATH=", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DURABLEFLOW_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task Stdin_is_closed_so_a_reader_does_not_hang()
    {
        var watch = Stopwatch.StartNew();

        var result = await Run(Executor(), new { command = "cat", timeout_seconds = 5 });

        Assert.Equal("", result.GetProperty("stdout").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("""{}""", "inputs.command is required")]
    [InlineData("""{"command":["echo"]}""", "inputs.command must be a string, got an array")]
    [InlineData("""{"command":"echo","args":"hi"}""", "inputs.args must be an array of strings, got a string")]
    [InlineData("""{"command":"echo","args":["a",1]}""", "inputs.args[1] must be a string, got a number")]
    [InlineData("""{"command":"echo","timeout_seconds":-1}""", "inputs.timeout_seconds must be more than 0 and at most 3600")]
    [InlineData("""{"command":"echo","working_directory":"/"}""", "inputs.working_directory is not an input of this executor")]
    public async Task Invalid_inputs_are_rejected(string inputs, string message)
    {
        var ex = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Executor().ExecuteAsync(Context(inputs)));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_result_runs_nothing_even_when_disabled()
    {
        var demo = Executor(enabled: false).DemoResult(Context("""{"command":"echo"}"""));

        Assert.Equal(0, demo.GetProperty("exit_code").GetInt32());
        Assert.Equal("demo", demo.GetProperty("stdout").GetString());
        Assert.Equal("", demo.GetProperty("stderr").GetString());
    }

    [Fact]
    public void Allowed_commands_split_on_commas_and_semicolons()
    {
        var options = new CommandExecutorOptions { AllowedCommands = " echo, python3 ;/opt/tool ;;" };

        Assert.Equal(["echo", "python3", "/opt/tool"], options.AllowedCommandList());
    }
}
