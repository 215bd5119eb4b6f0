namespace DurableFlow.Executors;

/// <summary>
/// URLs as they may appear in task errors and logs: scheme, host, port and path only. Query strings and
/// user info are where callers put API keys, signatures and passwords (<c>?api_key=</c>, presigned URLs),
/// and errors end up in status records and logs that more people read than the tree's inputs.
/// </summary>
internal static class UrlRedaction
{
    /// <summary><c>https://user:pw@host:8443/a/b?key=x#f</c> → <c>https://host:8443/a/b</c>.</summary>
    public static string ForMessage(Uri url) =>
        url.IsAbsoluteUri
            ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : ForMessage(url.OriginalString);

    /// <summary>The same for text that may not even parse as a URL (it is echoed back in input errors).</summary>
    public static string ForMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = text.IndexOfAny(['?', '#']);
        var kept = end < 0 ? text : text[..end];
        var authorityStart = kept.IndexOf("//", StringComparison.Ordinal);
        var start = authorityStart < 0 ? 0 : authorityStart + 2;
        var authorityEnd = kept.IndexOfAny(['/', '\\'], start);
        var at = kept.LastIndexOf('@', authorityEnd < 0 ? kept.Length - 1 : authorityEnd - 1);
        return at >= start ? kept[..start] + kept[(at + 1)..] : kept;
    }
}
