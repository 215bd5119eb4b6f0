using System.CommandLine;
using DurableFlow.Client;

namespace DurableFlow.Cli;

/// <summary>One command's run: the parse result, the environment and the client it builds from the global options.</summary>
internal sealed class CommandContext(CliEnvironment environment, GlobalOptions options, ParseResult parse)
{
    private DurableFlowClient? _client;

    public CliEnvironment Environment { get; } = environment;

    public ParseResult Parse { get; } = parse;

    public bool Json => Parse.GetValue(options.Json);

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    public T? Value<T>(Argument<T> argument) => Parse.GetValue(argument);

    public string Url => Parse.GetValue(options.Url) ?? Variable(GlobalOptions.UrlVariable) ?? GlobalOptions.DefaultUrl;

    /// <summary>The client for <see cref="Url"/>; a malformed URL is bad usage.</summary>
    public DurableFlowClient Client => _client ??= Environment.CreateClient(new DurableFlowClientOptions
    {
        BaseAddress = Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"--url '{Url}' is not an http(s) address, e.g. {GlobalOptions.DefaultUrl}"),
        FunctionKey = Parse.GetValue(options.Key) ?? Variable(GlobalOptions.KeyVariable),
        BearerToken = Parse.GetValue(options.Token) ?? Variable(GlobalOptions.TokenVariable),
        UserId = Parse.GetValue(options.User) ?? Variable(GlobalOptions.UserVariable),
    });

    /// <summary>The text of FILE, or standard input for <c>-</c>.</summary>
    public async Task<string> ReadTreeFileAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return await Environment.Input.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}");
        }
    }

    /// <summary>The bytes of FILE, or standard input (as UTF-8) for <c>-</c>.</summary>
    public async Task<byte[]> ReadTreeFileBytesAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return System.Text.Encoding.UTF8.GetBytes(await Environment.Input.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}");
        }
    }

    private string? Variable(string name) => Environment.GetVariable(name) is { Length: > 0 } value ? value : null;
}
