using System.Text.Json;
using DurableFlow.Client;

namespace DurableFlow.Cli;

/// <summary>Writes an answer as the API's JSON (snake_case, nulls kept), one document per command.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new(DurableFlowJson.Wire) { WriteIndented = true };

    public static int Write<T>(CliEnvironment environment, T value)
    {
        environment.Out.WriteLine(JsonSerializer.Serialize(value, Indented));
        environment.Out.Flush();
        return ExitCodes.Completed;
    }
}
