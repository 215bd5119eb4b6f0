using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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

    /// <summary>
    /// <see cref="Options"/> for tasks read without their results: the API leaves the <c>result</c> key out then,
    /// and so does this (a <c>"result": null</c> would claim a result that was never read).
    /// </summary>
    public static JsonSerializerOptions WithoutResults { get; } = new(Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutResult } },
    };

    public static int Write<T>(CliEnvironment environment, T value) => Write(environment, value, Options);

    /// <summary>Writes <paramref name="value"/>; its tasks' <c>result</c> only when <paramref name="withResults"/>.</summary>
    public static int WriteTasks<T>(CliEnvironment environment, T value, bool withResults) =>
        Write(environment, value, withResults ? Options : WithoutResults);

    private static int Write<T>(CliEnvironment environment, T value, JsonSerializerOptions options)
    {
        environment.Out.WriteLine(JsonSerializer.Serialize(value, options));
        environment.Out.Flush();
        return ExitCodes.Completed;
    }

    private static void LeaveOutResult(JsonTypeInfo type)
    {
        if (type.Type != typeof(TaskView))
        {
            return;
        }
        foreach (var property in type.Properties.Where(p => p.Name == "result"))
        {
            property.ShouldSerialize = static (_, _) => false;
        }
    }
}
