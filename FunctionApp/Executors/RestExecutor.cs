using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace DurableFlow.Executors;

/// <summary>
/// <c>rest_executor</c>: makes one HTTP(S) request and returns <c>status_code</c>, <c>headers</c>,
/// <c>json</c> or <c>text</c>, the final <c>url</c> and <c>elapsed_ms</c>. Requests go through the named
/// <see cref="HttpClientName"/> client, whose handler enforces the SSRF guard at connect time
/// (see <see cref="RestDestinationGuard"/>), follows at most <see cref="MaxRedirects"/> redirects (each
/// new connection is checked again), sends no proxy, cookies or ambient credentials, and whose
/// responses are read up to <see cref="RestExecutorOptions.MaxResponseBytes"/>.
/// </summary>
public sealed class RestExecutor : ITaskExecutor
{
    public const string ExecutorName = "rest_executor";

    /// <summary>The <see cref="IHttpClientFactory"/> client name; configured by <c>AddTaskExecutors</c>.</summary>
    public const string HttpClientName = "DurableFlow.RestExecutor";

    /// <summary>Redirects followed automatically. Small: enough for http→https and moved APIs.</summary>
    public const int MaxRedirects = 5;

    private const int ErrorExcerptChars = 300;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly RestExecutorOptions _options;

    public RestExecutor(IHttpClientFactory httpClientFactory, IOptions<RestExecutorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
    }

    public string Name => ExecutorName;

    public string Description => "Makes an HTTP(S) request and returns the status, headers and body (json or text).";

    // Built from the options, so the limits and defaults it states are the ones this host applies.
    public IReadOnlyList<ExecutorInput> Inputs =>
    [
        new("url", "string", true, "Absolute http or https URL."),
        new("method", "string", false, "HTTP method.", "GET"),
        new("headers", "object", false, "Request headers, name → string value."),
        new("params", "object", false, "Query parameters appended to the URL's query; array values repeat the name."),
        new("json", "any", false, "JSON body, sent as application/json. Not with data."),
        new("data", "string|object", false, "Body: a string as text/plain, or an object form-url-encoded. Not with json."),
        new("timeout_seconds", "number", false,
            string.Create(CultureInfo.InvariantCulture, $"Limit for the whole exchange, more than 0 and at most {RestExecutorOptions.MaxTimeoutSeconds}."),
            _options.DefaultTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
        new("fail_on_status", "boolean", false, "Fail the task on a non-2xx status.", "true"),
    ];

    /// <summary>
    /// The primary handler of the named client. <c>AddTaskExecutors</c> wires it; tests build it with a
    /// substituted guard.
    /// </summary>
    internal static SocketsHttpHandler CreatePrimaryHandler(RestDestinationGuard guard) => new()
    {
        ConnectCallback = guard.ConnectAsync,
        // A proxy would make ConnectCallback see the proxy's address instead of the destination's,
        // bypassing the guard; and HTTP(S)_PROXY variables on a host are not meant for task traffic.
        UseProxy = false,
        // Redirects stay automatic: every new connection goes through ConnectCallback, so a redirect to
        // an internal host is refused like a direct request. .NET drops Authorization on redirects and
        // never follows https → http.
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = MaxRedirects,
        // One handler serves every task of every user: no cookie jar, no default credentials.
        UseCookies = false,
        Credentials = null,
        // The body cap applies to the decompressed bytes, so compressed bombs are capped too.
        AutomaticDecompression = DecompressionMethods.All,
    };

    public async Task<JsonElement> ExecuteAsync(TaskExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = ReadRequest(context);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(spec.TimeoutSeconds));
        var client = _httpClientFactory.CreateClient(HttpClientName);
        var display = UrlRedaction.ForMessage(spec.Url);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var request = BuildRequest(spec);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var finalUrl = response.RequestMessage?.RequestUri ?? spec.Url;
            if (spec.FailOnStatus && !response.IsSuccessStatusCode)
            {
                var excerpt = await ReadExcerptAsync(response.Content, timeout.Token);
                var reason = response.ReasonPhrase is { Length: > 0 } r ? r : response.StatusCode.ToString();
                throw new HttpRequestException(
                    $"HTTP {(int)response.StatusCode} {reason} from {UrlRedaction.ForMessage(finalUrl)}{(excerpt.Length > 0 ? ": " + excerpt : "")}",
                    null,
                    response.StatusCode);
            }

            var body = await ReadBodyAsync(response.Content, UrlRedaction.ForMessage(finalUrl), timeout.Token);
            stopwatch.Stop();
            var result = new JsonObject
            {
                ["status_code"] = (int)response.StatusCode,
                ["headers"] = Headers(response),
                ["url"] = Display(finalUrl),
            };
            if (TryParseJson(response.Content.Headers.ContentType, body) is { } json)
            {
                result["json"] = json;
            }
            else
            {
                result["text"] = Decode(response.Content.Headers.ContentType, body);
            }

            result["elapsed_ms"] = ExecutorJson.Milliseconds(stopwatch.Elapsed);
            return ExecutorJson.ToElement(result);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{spec.Method} {display} did not complete within {spec.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s (inputs.timeout_seconds)");
        }
        catch (HttpRequestException ex) when (Find<BlockedDestinationException>(ex) is { } blocked)
        {
            // Retrying cannot help: the policy, not the network, refused. Same failure kind as a bad input.
            throw new InvalidTaskInputException($"{spec.Method} {display}: {blocked.Message}", ex);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new HttpRequestException($"{spec.Method} {display} failed: {Messages(ex)}", ex);
        }
    }

    public JsonElement DemoResult(TaskExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Inputs are still validated (their shape; no DNS or address checks), so a demo run catches bad trees.
        var spec = ReadRequest(context);
        return ExecutorJson.ToElement(new JsonObject
        {
            ["status_code"] = 200,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
            ["url"] = Display(spec.Url),
            ["json"] = new JsonObject { ["demo"] = true, ["method"] = spec.Method.Method, ["url"] = Display(spec.Url) },
            ["elapsed_ms"] = 0,
        });
    }

    private sealed record RequestSpec(
        Uri Url,
        HttpMethod Method,
        IReadOnlyList<KeyValuePair<string, string>> Headers,
        JsonElement? Json,
        JsonElement? Data,
        double TimeoutSeconds,
        bool FailOnStatus);

    private RequestSpec ReadRequest(TaskExecutionContext context)
    {
        var inputs = new TaskInputs(context.Inputs, Inputs);
        var text = inputs.GetRequiredString("url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new InvalidTaskInputException($"inputs.url must be an absolute http or https URL, got '{UrlRedaction.ForMessage(text)}'");
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidTaskInputException($"inputs.url must use http or https, got '{url.Scheme}'");
        }

        var methodName = inputs.GetString("method", "GET")!.ToUpperInvariant();
        HttpMethod method;
        try
        {
            method = new HttpMethod(methodName);
        }
        catch (FormatException)
        {
            throw new InvalidTaskInputException($"inputs.method '{methodName}' is not a valid HTTP method");
        }

        if (inputs.TryGet("params", out var query))
        {
            url = AppendQuery(url, query);
        }

        var headers = inputs.GetStringMap("headers");
        foreach (var (name, value) in headers)
        {
            // CR/LF would let a value smuggle extra headers; control characters are never valid.
            if (value.Any(c => char.IsControl(c) && c != '\t'))
            {
                throw new InvalidTaskInputException($"inputs.headers.{name} contains control characters");
            }
        }

        JsonElement? json = inputs.TryGet("json", out var j) ? j : null;
        JsonElement? data = inputs.TryGet("data", out var d) ? d : null;
        if (json is not null && data is not null)
        {
            throw new InvalidTaskInputException("give inputs.json or inputs.data, not both");
        }

        if (data is { } dataValue && dataValue.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
        {
            throw new InvalidTaskInputException($"inputs.data must be a string or an object, got {TaskInputs.Kind(dataValue)}");
        }

        var timeoutSeconds = inputs.GetNumber("timeout_seconds", _options.DefaultTimeoutSeconds, 0, RestExecutorOptions.MaxTimeoutSeconds);
        var failOnStatus = inputs.GetBoolean("fail_on_status", true);
        return new(url, method, headers, json, data is { } form ? CheckForm(form) : null, timeoutSeconds, failOnStatus);
    }

    private static JsonElement CheckForm(JsonElement data)
    {
        if (data.ValueKind == JsonValueKind.Object)
        {
            _ = Pairs(data, "inputs.data").ToList();
        }

        return data;
    }

    private static HttpRequestMessage BuildRequest(RequestSpec spec)
    {
        var request = new HttpRequestMessage(spec.Method, spec.Url);
        try
        {
            if (spec.Json is { } json)
            {
                request.Content = new StringContent(json.GetRawText(), Encoding.UTF8, "application/json");
            }
            else if (spec.Data is { ValueKind: JsonValueKind.String } text)
            {
                request.Content = new StringContent(text.GetString()!, Encoding.UTF8, "text/plain");
            }
            else if (spec.Data is { } form)
            {
                request.Content = new FormUrlEncodedContent(Pairs(form, "inputs.data"));
            }

            foreach (var (name, value) in spec.Headers)
            {
                if (request.Headers.TryAddWithoutValidation(name, value))
                {
                    continue;
                }

                // Content-Type and friends belong to the body; they replace the defaults set above.
                if (request.Content is null)
                {
                    throw new InvalidTaskInputException($"inputs.headers.{name} is not a valid request header (body headers need inputs.json or inputs.data)");
                }

                request.Content.Headers.Remove(name);
                if (!request.Content.Headers.TryAddWithoutValidation(name, value))
                {
                    throw new InvalidTaskInputException($"inputs.headers.{name} is not a valid header name");
                }
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private static Uri AppendQuery(Uri url, JsonElement query)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in Pairs(query, "inputs.params"))
        {
            builder.Append(builder.Length > 0 ? "&" : "")
                .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        if (builder.Length == 0)
        {
            return url;
        }

        var existing = url.Query.TrimStart('?');
        var uri = new UriBuilder(url) { Query = existing.Length > 0 ? existing + "&" + builder : builder.ToString() };
        return uri.Uri;
    }

    /// <summary>Flattens an object of scalars (or arrays of scalars, repeated) into name/value pairs.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Pairs(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidTaskInputException($"{path} must be an object, got {TaskInputs.Kind(value)}");
        }

        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    yield return new(property.Name, Scalar(item, $"{path}.{property.Name}"));
                }
            }
            else if (property.Value.ValueKind != JsonValueKind.Null)
            {
                yield return new(property.Name, Scalar(property.Value, $"{path}.{property.Name}"));
            }
        }
    }

    private static string Scalar(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new InvalidTaskInputException($"{path} must be a string, number or boolean (or an array of them), got {TaskInputs.Kind(value)}"),
    };

    private async Task<byte[]> ReadBodyAsync(HttpContent content, string url, CancellationToken cancellationToken)
    {
        var max = _options.MaxResponseBytes;
        if (content.Headers.ContentLength is { } length && length > max)
        {
            throw new InvalidOperationException(
                $"the response from {url} is {length} bytes, more than the {max}-byte limit (RestExecutor:MaxResponseBytes)");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new InvalidOperationException(
                    $"the response from {url} exceeds the {max}-byte limit (RestExecutor:MaxResponseBytes)");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<string> ReadExcerptAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var bytes = new byte[ErrorExcerptChars * 4];
        var total = 0;
        int read;
        while (total < bytes.Length && (read = await stream.ReadAsync(bytes.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        var text = Decode(content.Headers.ContentType, bytes.AsSpan(0, total).ToArray()).Trim();
        return text.Length > ErrorExcerptChars ? text[..ErrorExcerptChars] + "…" : text;
    }

    private static JsonObject Headers(HttpResponseMessage response)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            var joined = string.Join(", ", values);
            headers[name] = headers[name] is { } existing ? existing.GetValue<string>() + ", " + joined : joined;
        }

        return headers;
    }

    private static JsonNode? TryParseJson(MediaTypeHeaderValue? contentType, byte[] body)
    {
        var mediaType = contentType?.MediaType;
        var jsonish = mediaType is not null
            && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!jsonish || body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null; // labelled JSON but is not: returned as text rather than failing the task
        }
    }

    private static string Decode(MediaTypeHeaderValue? contentType, byte[] body)
    {
        var encoding = Encoding.UTF8;
        if (contentType?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // Unknown charset: UTF-8 is the likeliest truth.
            }
        }

        using var reader = new StreamReader(new MemoryStream(body), encoding, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The URL without user info (credentials) or fragment, for results; messages use <see cref="UrlRedaction"/>.</summary>
    private static string Display(Uri url) => url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static string Messages(Exception exception)
    {
        var parts = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (!parts.Contains(e.Message, StringComparer.Ordinal))
            {
                parts.Add(e.Message);
            }
        }

        return string.Join(" → ", parts);
    }
}
