using System.Diagnostics;
using System.Globalization;
using DurableFlow.Bench;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Contracts;

// The production orchestrator (TreeOrchestration.RunAsync) on a deterministic virtual-time context.
//   (no argument)  schedule quality: makespan ÷ critical path on seeded random DAGs, with the ratios a
//                  level-by-level wave schedule and a priority-group-serial schedule would give.
//   history        Durable history cost per task and the events replayed over a run, by tree shape/size.
//   status         bytes the status entities make Durable store per scheduling step, single-entity layout
//                  against the sharded one, by tree size.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var mode = args.Length > 0 ? args[0] : "schedule";
switch (mode)
{
    case "schedule":
        Schedule();
        break;
    case "history":
        History();
        break;
    case "status":
        Status();
        break;
    default:
        Console.Error.WriteLine("usage: ScheduleBench [schedule|history|status]");
        return 2;
}

return 0;

static void Schedule()
{
    const int Seeds = 5;
    Console.WriteLine($"schedule quality: production TreeOrchestration on a virtual clock, unlimited parallelism, {Seeds} seeds per size, .NET {Environment.Version}");
    Console.WriteLine("random DAG: 0-4 deps (avg 2) from the previous 20 tasks, priority 0-3, durations 1-60 s");
    Console.WriteLine($"{"tasks",6} {"seed",5} {"edges",6} {"levels",7} {"critical s",11} {"makespan s",11} {"ratio",6} {"waves",6} {"prio-serial",12} {"signals",8} {"sim ms",7}");
    foreach (var n in new[] { 200, 1_000 })
    {
        var ratios = new List<(double Eager, double Waves, double Serial)>();
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var tree = BenchTrees.RandomDag(n, seed);
            var sw = Stopwatch.StartNew();
            var (outcome, context) = RunOrchestration(tree, measureBytes: false);
            var ms = sw.Elapsed.TotalMilliseconds;
            var makespan = (outcome.CompletedAt - outcome.StartedAt).TotalSeconds;
            var critical = ReferenceSchedules.CriticalPath(tree);
            var (waves, levels) = ReferenceSchedules.Waves(tree);
            var serial = ReferenceSchedules.PriorityGroupsSerial(tree);
            ratios.Add((makespan / critical, waves / critical, serial / critical));
            Console.WriteLine($"{n,6:N0} {seed,5} {tree.Edges,6:N0} {levels,7} {critical,11:F1} {makespan,11:F1} {makespan / critical,6:F3} {waves / critical,6:F2} {serial / critical,12:F2} {context.History.Signals,8:N0} {ms,7:F0}");
        }

        Console.WriteLine($"{n,6:N0} {"median",-44} {Median(ratios.Select(r => r.Eager)),6:F3} {Median(ratios.Select(r => r.Waves)),6:F2} {Median(ratios.Select(r => r.Serial)),12:F2}");
    }
}

static void History()
{
    Console.WriteLine($"history cost: production TreeOrchestration, modelled Durable history, completions batched up to 32 per episode when due together, .NET {Environment.Version}");
    Console.WriteLine("equal = every task 1 s (simultaneous completions batch); random = 1-60 s in 0.1 s steps (only completions due at the same instant batch)");
    Console.WriteLine("pass ms = one run of the orchestrator code over the whole history (median of 3); replay CPU s = pass ms x replayed / events (estimate, orchestrator code only)");
    Console.WriteLine($"{"tree",-22} {"tasks",6} {"episodes",8} {"events",8} {"ev/task",7} {"act/task",8} {"sig/task",8} {"replayed events",16} {"replay/task",11} {"history MB",10} {"replayed MB",11} {"pass ms",8} {"replay CPU s",12}");
    var rows = new List<(BenchTree Tree, HistoryModel History)>();
    RunOrchestration(BenchTrees.RandomDag(1_000, seed: 99), measureBytes: true); // warm-up (JIT)
    foreach (var n in new[] { 100, 1_000, 5_000 })
    {
        foreach (var tree in new[]
        {
            BenchTrees.Chain(n, 1) with { Name = "chain, equal" },
            BenchTrees.FanOut(n, 1) with { Name = "fan-out, equal" },
            BenchTrees.FanOut(n, 0, seed: 7) with { Name = "fan-out, random" },
            BenchTrees.RandomDag(n, seed: 1) with { Name = "random DAG, random" },
        })
        {
            var (_, context) = RunOrchestration(tree, measureBytes: true);
            var h = context.History;
            rows.Add((tree, h));
            var passes = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                var sw = Stopwatch.StartNew();
                RunOrchestration(tree, measureBytes: false);
                passes.Add(sw.Elapsed.TotalMilliseconds);
            }

            var pass = Median(passes);
            var replayCpu = pass / 1000 * h.ReplayedEvents / h.Events;
            Console.WriteLine($"{tree.Name,-22} {n,6:N0} {h.Episodes,8:N0} {h.Events,8:N0} {(double)h.Events / n,7:F2} {(double)h.Actions / n,8:F2} {(double)h.Signals / n,8:F2} {h.ReplayedEvents,16:N0} {(double)h.ReplayedEvents / n,11:N0} {h.Bytes / 1e6,10:F2} {h.ReplayedBytes / 1e6,11:F1} {pass,8:F1} {replayCpu,12:F1}");
        }
    }

    Console.WriteLine();
    Console.WriteLine("mitigations (model estimates): events replayed over the whole run");
    Console.WriteLine("  ext. sessions: an episode replays nothing while the instance stays cached: events processed = history size, replayed = 0");
    Console.WriteLine("  parts of N: the fan-out's leaves split into sub-orchestrations of <= N tasks; each child replays only its own history (parent: root, children, join)");
    Console.WriteLine("  tree by reference: replayed MB if ExecutionStarted and the first status signal carried a reference instead of every task definition");
    Console.WriteLine($"{"tree",-22} {"tasks",6} {"replayed events",16} {"ext. sessions",14} {"parts of 500",13} {"parts of 100",13} {"replayed MB",11} {"by reference",13}");
    foreach (var (tree, h) in rows.Where(r => r.Tree.Name.StartsWith("fan-out", StringComparison.Ordinal) || r.Tree.Count == 5_000))
    {
        var fanOut = tree.Name.StartsWith("fan-out", StringComparison.Ordinal);
        var parts500 = fanOut ? Partitioned(tree, 500).ToString("N0", CultureInfo.InvariantCulture) : "-";
        var parts100 = fanOut ? Partitioned(tree, 100).ToString("N0", CultureInfo.InvariantCulture) : "-";
        var byReference = h.ReplayedBytes - ((h.Episodes - 1) * (h.InputBytes + h.StartSignalBytes - 200));
        Console.WriteLine($"{tree.Name,-22} {tree.Count,6:N0} {h.ReplayedEvents,16:N0} {h.Events,14:N0} {parts500,13} {parts100,13} {h.ReplayedBytes / 1e6,11:F1} {byReference / 1e6,13:F1}");
    }
}

// A wide fan-out split into children of at most `chunk` leaves: the parent is a fan-out over the children
// (a sub-orchestration call costs the events of an activity call), each child a fan-out over its leaves.
static long Partitioned(BenchTree fanOut, int chunk)
{
    var leaves = fanOut.Count - 2;
    var children = (leaves + chunk - 1) / chunk;
    var seconds = fanOut.Seconds[1];
    var equal = fanOut.Seconds.Distinct().Count() == 1;
    var total = RunOrchestration(BenchTrees.FanOut(children + 2, 1), measureBytes: false).Context.History.ReplayedEvents;
    for (var c = 0; c < children; c++)
    {
        var size = Math.Min(chunk, leaves - (c * chunk));
        var child = equal ? BenchTrees.FanOut(size + 2, seconds) : BenchTrees.FanOut(size + 2, 0, seed: 7 + c);
        total += RunOrchestration(child, measureBytes: false).Context.History.ReplayedEvents;
    }

    return total;
}

static void Status()
{
    Console.WriteLine($"status store cost: production TreeOrchestration on a virtual clock; every entity message applied to a model of its entity's state; .NET {Environment.Version}");
    Console.WriteLine("bytes per step = the step's messages + the state each entity stores again after applying them; a step = one virtual instant (the run's first and last are shown apart: they carry the outlines and the end)");
    Console.WriteLine("trees: fan-out (root, n-2 leaves, join) and random DAG, task durations 1-60 s (seeded), so most steps change a few tasks");
    Console.WriteLine($"{"tree",-12} {"tasks",7} {"layout",-8} {"steps",6} {"median B/step",14} {"p99 B/step",12} {"max B/step",12} {"first step B",13} {"last step B",12} {"total MB",9} {"B/change",9}");
    foreach (var n in new[] { 1_000, 5_000, 20_000 })
    {
        foreach (var tree in new[] { BenchTrees.FanOut(n, 0, seed: 7), BenchTrees.RandomDag(n, 7) })
        {
            foreach (var sharded in new[] { false, true })
            {
                if (!sharded && n > 5_000)
                {
                    // The single entity rewrites every record each step: 20,000 records a step, hundreds of steps.
                    Console.WriteLine($"{tree.Name,-12} {n,7:N0} {"single",-8} (skipped: it rewrites all {n:N0} records at every step; see the rows above)");
                    continue;
                }

                var model = new StatusStoreModel();
                var byStep = new SortedDictionary<DateTime, long>();
                var (_, _) = RunOrchestration(tree, measureBytes: false, sharded, (at, id, input) =>
                    byStep[at] = byStep.GetValueOrDefault(at) + model.Apply(id, input, at));
                var steps = byStep.Values.ToList();
                var middle = steps.Skip(1).SkipLast(1).Order().ToList();
                Console.WriteLine($"{tree.Name,-12} {n,7:N0} {(sharded ? "sharded" : "single"),-8} {steps.Count,6:N0} {Percentile(middle, 0.5),14:N0} {Percentile(middle, 0.99),12:N0} {middle[^1],12:N0} {steps[0],13:N0} {steps[^1],12:N0} {steps.Sum() / 1e6,9:F1} {steps.Sum() / Math.Max(1, model.Changes),9:N0}");
            }
        }
    }
}

static long Percentile(List<long> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Max(0, Math.Ceiling(p * sorted.Count) - 1))];

static (TreeRunOutcomeV1 Outcome, VirtualOrchestrationContext Context) RunOrchestration(BenchTree tree, bool measureBytes, bool sharded = false, Action<DateTime, Microsoft.DurableTask.Entities.EntityInstanceId, object?>? onEntityMessage = null)
{
    var errors = TreeValidator.Validate(tree.Tree, new ValidationOptions(MaxTasks: 20_000, MaxDependenciesPerTask: 20_000));
    if (errors.Count > 0)
    {
        throw new InvalidOperationException(errors[0].Message);
    }

    var context = new VirtualOrchestrationContext(measureBytes) { OnEntityMessage = onEntityMessage };
    var input = new TreeRunInputV1("bench", "bench-user", tree.Tree.ToWire(), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        MaxDependencyResultsBytes: sharded ? 1024 * 1024 : null,
        Layout: sharded ? new StatusLayoutV1(DurableFlow.Contracts.TaskShards.CountFor(tree.Count), DurableFlow.Contracts.TaskShards.DefaultInlineResultBytes) : null);
    using var orchestration = new TreeOrchestration(context);
    var outcome = context.Run(() => orchestration.RunAsync(input), input);
    if (outcome.Status != TreeStatus.Completed || outcome.Counts.Completed != tree.Count)
    {
        throw new InvalidOperationException($"{tree.Name}: the run ended {outcome.Status} with {outcome.Counts.Completed} of {tree.Count} tasks completed");
    }

    return (outcome, context);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
