using System.Text.Encodings.Web;
using System.Text.Json;
using DurableFlow.Client;

namespace DurableFlow.Cli;

/// <summary>Writes an answer as the API's JSON (snake_case, nulls kept), one document per command.</summary>
internal static class JsonOutput
{
    /// <summary>Indented, and without escaping quotes or arrows as \u0027 and \u003E: this goes to a terminal or jq, not into HTML.</summary>
    public static JsonSerializerOptions Options { get; } = new(DurableFlowJson.Wire)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static int Write<T>(CliEnvironment environment, T value)
    {
        environment.Out.WriteLine(JsonSerializer.Serialize(value, Options));
        environment.Out.Flush();
        return ExitCodes.Completed;
    }
}
