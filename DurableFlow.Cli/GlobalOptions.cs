using System.CommandLine;

namespace DurableFlow.Cli;

/// <summary>Options every command takes: where the API is, how to authenticate, and JSON output.</summary>
internal sealed class GlobalOptions
{
    public const string UrlVariable = "DURABLEFLOW_URL";
    public const string KeyVariable = "DURABLEFLOW_KEY";
    public const string TokenVariable = "DURABLEFLOW_TOKEN";
    public const string UserVariable = "DURABLEFLOW_USER";
    public const string DefaultUrl = "http://localhost:7071/api";

    // Defaults are read at run time rather than through DefaultValueFactory, so --help never prints a key.
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The API root, e.g. https://HOST/api (env {UrlVariable}; default {DefaultUrl})",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"A function key, sent as x-functions-key (env {KeyVariable})",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"A bearer token, for Easy Auth (env {TokenVariable})",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = $"Act as this user_id: lists show its trees, reads check ownership (env {UserVariable})",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON instead of tables (for scripts)",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Url, Key, Token, User, Json];
}
