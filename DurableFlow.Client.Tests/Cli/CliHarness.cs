using DurableFlow.Cli;
using DurableFlow.Cli.Validation;
using DurableFlow.Client.Tests.Fakes;
using Spectre.Console.Testing;

namespace DurableFlow.Client.Tests.Cli;

/// <summary>Runs dflow in memory: a test console for standard output, a fake server, no real network or terminal.</summary>
internal sealed class CliHarness(FakeHandler server, bool interactive = false, string input = "",
    IReadOnlyDictionary<string, string>? variables = null, ITreeFileReader? treeFiles = null)
{
    public FakeHandler Server { get; } = server;

    public DurableFlowClientOptions? ClientOptions { get; private set; }

    public Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public async Task<(int Exit, string Out, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var console = new TestConsole().Width(160);
        if (interactive)
        {
            console.Interactive();
            console.EmitAnsiSequences = false;
        }
        using var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Console = console,
            Error = error,
            Input = new StringReader(input),
            Interactive = interactive,
            GetVariable = name => variables is not null && variables.TryGetValue(name, out var value) ? value : null,
            CreateClient = options =>
            {
                ClientOptions = options;
                options.Retry = new DurableFlowRetryOptions { MaxRetryAttempts = 0 };
                return DurableFlowClient.Create(options, Server);
            },
            TreeFiles = treeFiles ?? new CoreTreeFileReader(),
            Wait = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(1), MaxInterval = TimeSpan.FromMilliseconds(1) },
        };
        var exit = await DflowCommand.InvokeAsync(environment, args, cancellationToken);
        return (exit, console.Output, error.ToString());
    }
}
