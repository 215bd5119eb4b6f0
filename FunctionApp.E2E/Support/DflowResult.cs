namespace DurableFlow.E2E.Support;

/// <summary>How a dflow process ended: its exit code and what it printed.</summary>
public sealed record DflowResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
