using System.Diagnostics;

namespace DurableFlow.Bench.RealHost;

/// <summary>The shapes as one plain orchestration each, on bench/BareDurableApp.</summary>
public sealed class BareRunner(HttpClient client)
{
    public async Task WarmUpAsync()
    {
        await TimeAsync("fanout", 50);
        await TimeAsync("chain", 10);
    }

    public async Task RunAsync(string shape, int round, BenchResults results)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(results);
        var (kind, count) = Shapes.Parse(shape);
        var elapsed = await TimeAsync(kind, count);
        if (kind == "chain")
        {
            results.Add($"{shape} (per hop)", "bare", round, elapsed.TotalMilliseconds / count, "ms");
        }
        else
        {
            results.Add(shape, "bare", round, elapsed.TotalSeconds, "s");
        }
    }

    private async Task<TimeSpan> TimeAsync(string kind, int count)
    {
        var clock = Stopwatch.StartNew();
        var id = (await client.PostJsonAsync($"api/bench/{kind}/{count}", null))["id"]!.GetValue<string>();
        await Polling.UntilEndedAsync(async () => (await client.GetJsonAsync($"api/bench/{id}"))["status"]?.GetValue<string>(), "Completed", TimeSpan.FromHours(1));
        return clock.Elapsed;
    }
}
