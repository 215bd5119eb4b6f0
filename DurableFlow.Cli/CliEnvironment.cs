using DurableFlow.Cli.Validation;
using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli;

/// <summary>Everything dflow touches outside itself, so tests can run it against an in-memory console and a fake server.</summary>
internal sealed class CliEnvironment
{
    /// <summary>Standard output, for tables and the live progress view.</summary>
    public required IAnsiConsole Console { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader Input { get; init; }

    /// <summary>Whether standard output is a terminal: the live view then, plain lines otherwise.</summary>
    public required bool Interactive { get; init; }

    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    public Func<DurableFlowClientOptions, DurableFlowClient> CreateClient { get; init; } = options => DurableFlowClient.Create(options);

    public ITreeFileReader TreeFiles { get; init; } = new CoreTreeFileReader();

    public WaitOptions Wait { get; init; } = new();

    /// <summary>Raw standard output, for JSON and plain lines, which must not be wrapped at the console's width.</summary>
    public TextWriter Out => Console.Profile.Out.Writer;

    public static CliEnvironment FromProcess()
    {
        // Standard input does not matter (`cat tree.json | dflow submit - --wait` still gets the live view);
        // a terminal that cannot move the cursor does.
        var interactive = !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi;
        if (System.Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns for a pipe and wraps there; a log line should stay one line.
            AnsiConsole.Profile.Width = 240;
        }
        return new()
        {
            Console = AnsiConsole.Console,
            Error = System.Console.Error,
            Input = System.Console.In,
            Interactive = interactive,
        };
    }
}
