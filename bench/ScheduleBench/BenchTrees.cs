using System.Globalization;
using System.Text.Json;
using DurableFlow.Graph;

namespace DurableFlow.Bench;

/// <summary>A tree with each task's virtual duration (also written into its <c>_demo_sleep</c> input).</summary>
internal sealed record BenchTree(string Name, TaskTree Tree, double[] Seconds)
{
    public int Count => Tree.Tasks.Count;

    public int Edges => Tree.Tasks.Sum(t => t.Dependencies.Count);
}

/// <summary>Seeded tree shapes for the benchmark modes. Every dependency is required and every task succeeds.</summary>
internal static class BenchTrees
{
    /// <summary>Random DAG in submission (topological) order: 0–4 dependencies (average 2) picked from
    /// the previous <paramref name="window"/> tasks, priority 0–3, duration 1–60 s (0.1 s steps).</summary>
    public static BenchTree RandomDag(int n, int seed, int window = 20, Func<Random, double>? seconds = null)
    {
        var random = new Random(seed);
        seconds ??= r => Math.Round(1 + (r.NextDouble() * 59), 1);
        var durations = new double[n];
        var tasks = new List<TaskDefinition>(n);
        for (var i = 0; i < n; i++)
        {
            var count = Math.Min(i, random.Next(0, 5));
            var picked = new SortedSet<int>();
            while (picked.Count < count)
            {
                picked.Add(random.Next(Math.Max(0, i - window), i));
            }

            durations[i] = seconds(random);
            tasks.Add(Task(i, durations[i], random.Next(0, 4), picked));
        }

        return new BenchTree(string.Create(CultureInfo.InvariantCulture, $"random DAG seed {seed}"), Tree(tasks), durations);
    }

    public static BenchTree Chain(int n, double seconds) =>
        Build("chain", n, seconds, i => i == 0 ? [] : [i - 1]);

    /// <summary>One root, n − 2 leaves that depend on it, one join that depends on every leaf.</summary>
    public static BenchTree FanOut(int n, double seconds, int seed = 0) =>
        Build("fan-out", n, seconds, i => i == 0 ? [] : i < n - 1 ? [0] : Enumerable.Range(1, n - 2), seed);

    private static BenchTree Build(string name, int n, double seconds, Func<int, IEnumerable<int>> dependencies, int seed = 0)
    {
        // seconds > 0: every task takes exactly that long; seed != 0: random 1–60 s instead.
        var random = new Random(seed);
        var durations = new double[n];
        var tasks = new List<TaskDefinition>(n);
        for (var i = 0; i < n; i++)
        {
            durations[i] = seed == 0 ? seconds : Math.Round(1 + (random.NextDouble() * 59), 1);
            tasks.Add(Task(i, durations[i], TaskDefinition.DefaultPriority, dependencies(i)));
        }

        return new BenchTree(name, Tree(tasks), durations);
    }

    private static TaskDefinition Task(int i, double seconds, int priority, IEnumerable<int> dependencies) =>
        new($"t{i}", "system_info_executor", JsonSerializer.SerializeToElement(new Dictionary<string, double> { ["_demo_sleep"] = seconds }),
            priority, Dependencies: dependencies.Select(d => new TaskDependency($"t{d}")).ToArray());

    private static TaskTree Tree(List<TaskDefinition> tasks) => new("bench", "bench-user", 0, true, tasks);
}

/// <summary>Makespans of reference schedules, computed on the same tree and durations.</summary>
internal static class ReferenceSchedules
{
    /// <summary>Longest path of durations: no schedule can finish sooner.</summary>
    public static double CriticalPath(BenchTree tree)
    {
        var (deps, seconds) = Index(tree);
        var finish = new double[deps.Length];
        for (var i = 0; i < deps.Length; i++)
        {
            finish[i] = seconds[i] + deps[i].Select(d => finish[d]).DefaultIfEmpty(0).Max();
        }

        return finish.DefaultIfEmpty(0).Max();
    }

    /// <summary>Level by level: level k (longest dependency chain below the task) starts only when every
    /// task of level k − 1 has finished, so each level costs its slowest task.</summary>
    public static (double Makespan, int Levels) Waves(BenchTree tree)
    {
        var (deps, seconds) = Index(tree);
        var level = new int[deps.Length];
        for (var i = 0; i < deps.Length; i++)
        {
            level[i] = deps[i].Select(d => level[d] + 1).DefaultIfEmpty(0).Max();
        }

        var slowest = new Dictionary<int, double>();
        for (var i = 0; i < deps.Length; i++)
        {
            slowest[level[i]] = Math.Max(slowest.GetValueOrDefault(level[i]), seconds[i]);
        }

        return (slowest.Values.Sum(), slowest.Count);
    }

    /// <summary>Priority groups in series: the tasks of priority p start (in parallel, dependencies still
    /// respected) only after every task of a more urgent priority finished. A task that depends on a
    /// less urgent one cannot run before it, so it joins that group (its effective priority).</summary>
    public static double PriorityGroupsSerial(BenchTree tree)
    {
        var (deps, seconds) = Index(tree);
        var tasks = tree.Tree.Tasks;
        var group = new int[deps.Length];
        for (var i = 0; i < deps.Length; i++)
        {
            group[i] = deps[i].Select(d => group[d]).Append(tasks[i].Priority).Max();
        }

        var finish = new double[deps.Length];
        var gate = 0.0;
        foreach (var p in group.Distinct().Order())
        {
            var groupEnd = gate;
            for (var i = 0; i < deps.Length; i++)
            {
                if (group[i] == p)
                {
                    finish[i] = Math.Max(gate, deps[i].Select(d => finish[d]).DefaultIfEmpty(0).Max()) + seconds[i];
                    groupEnd = Math.Max(groupEnd, finish[i]);
                }
            }

            gate = groupEnd;
        }

        return gate;
    }

    /// <summary>Dependencies as indexes; the generators emit tasks in topological order.</summary>
    private static (int[][] Deps, double[] Seconds) Index(BenchTree tree)
    {
        var tasks = tree.Tree.Tasks;
        var index = new Dictionary<string, int>(tasks.Count, StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++)
        {
            index[tasks[i].Id] = i;
        }

        var deps = tasks.Select((t, i) => t.Dependencies.Select(d => index[d.Id]).ToArray()).ToArray();
        if (deps.Select((d, i) => d.Any(x => x >= i)).Any(b => b))
        {
            throw new InvalidOperationException("tasks must be in topological order");
        }

        return (deps, tree.Seconds);
    }
}
