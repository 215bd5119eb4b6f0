using System.Text.Json.Nodes;

namespace DurableFlow.Bench.RealHost;

/// <summary>Both apps are timed the same way: from the submitting request to the first poll that sees the end.</summary>
public static class Polling
{
    /// <summary>Every 100 ms: the error it adds is small next to what is measured, and the polls cost little.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 500)]}");
        }

        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string path, JsonNode? body)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = body is null ? null : new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 500)]}");
        }

        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls <paramref name="status"/> until it returns an ended status; throws unless it is <paramref name="expected"/>.</summary>
    public static async Task UntilEndedAsync(Func<Task<string?>> status, string expected, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(status);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            string? current;
            try
            {
                current = await status();
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains(": 5", StringComparison.Ordinal))
            {
                // A 5xx while storage is slow: a poller retries, as the API documents.
                Console.WriteLine($"   (poll answered {ex.Message[..Math.Min(ex.Message.Length, 120)]}; retrying)");
                await Task.Delay(Interval);
                continue;
            }

            if (current is not null && current.Equals(expected, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            if (current is "failed" or "cancelled" or "Failed" or "Terminated")
            {
                throw new InvalidOperationException($"ended {current}, expected {expected}");
            }

            await Task.Delay(Interval);
        }

        throw new TimeoutException($"not ended within {timeout}");
    }
}
