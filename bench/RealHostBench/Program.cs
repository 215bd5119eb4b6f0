using System.Globalization;
using DurableFlow.Bench.RealHost;

// Usage (through run.sh, which builds both apps and starts Azurite):
//   run.sh [--rounds N] [--shapes fanout:1000,chain:100,p1,reads]
// Each round runs every shape on DurableFlow, then on the bare Durable app (A B A B ...), each app on a
// freshly started host after a warm-up; the host is stopped with TERM between apps so it releases its leases.
var rounds = 2;
var bareToo = true;
var shapes = new List<string> { "fanout:1000", "chain:100", "p1", "reads" };
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--shapes": shapes = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
        case "--durableflow-only": bareToo = false; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--rounds N] [--shapes fanout:1000,chain:100,p1,reads] [--durableflow-only]"); return 2;
    }
}

var durableFlow = BenchApp.FromEnvironment("DurableFlow", "BENCH_DURABLEFLOW_DIR", "BENCH_DURABLEFLOW_SETTINGS");
var bare = BenchApp.FromEnvironment("bare Durable app", "BENCH_BARE_DIR", "BENCH_BARE_SETTINGS");
var results = new BenchResults();
Console.WriteLine($"real-host benchmark: {rounds} round(s) of {string.Join(", ", shapes)}; {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

for (var round = 1; round <= rounds; round++)
{
    await using (var host = await BenchHost.StartAsync(durableFlow))
    {
        var runner = new DurableFlowRunner(host.Client);
        await runner.WarmUpAsync();
        foreach (var shape in shapes)
        {
            await runner.RunAsync(shape, round, results);
        }

        if (host.WorkerPeakMemoryMb() is { } peak)
        {
            results.Add("worker peak memory (whole session)", "durableflow", round, peak, "MB");
        }
    }

    var bareShapes = shapes.Where(s => s.StartsWith("fanout:", StringComparison.Ordinal) || s.StartsWith("chain:", StringComparison.Ordinal)).ToList();
    if (bareShapes.Count == 0 || !bareToo)
    {
        continue;
    }

    await using (var host = await BenchHost.StartAsync(bare))
    {
        var runner = new BareRunner(host.Client);
        await runner.WarmUpAsync();
        foreach (var shape in bareShapes)
        {
            await runner.RunAsync(shape, round, results);
        }

        if (host.WorkerPeakMemoryMb() is { } peak)
        {
            results.Add("worker peak memory (whole session)", "bare", round, peak, "MB");
        }
    }
}

results.Print(Console.Out);
return 0;
