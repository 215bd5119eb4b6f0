using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DurableFlow.Graph;

// Validates and fully schedules large trees with the production core, printing wall times.
// Each figure is the median of several runs after one warm-up run.
const int Tasks = 100_000;
const int Runs = 5;
var options = new ValidationOptions(MaxTasks: Tasks, MaxDependenciesPerTask: 100);
var result = JsonDocument.Parse("{\"ok\":true}").RootElement;

Console.WriteLine($"graph core benchmark: {Tasks:N0} tasks, median of {Runs} runs, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine($"{"tree",-28} {"edges",9} {"validate ms",12} {"schedule ms",12} {"total ms",9}");
Measure("chain", Chain(Tasks));
Measure("random DAG (avg 3 deps)", RandomDag(Tasks, 3, seed: 42));
Measure("wide fan-out + fan-in", FanOutIn(Tasks));

void Measure(string name, TaskTree tree)
{
    var validate = new List<double>();
    var schedule = new List<double>();
    for (var run = 0; run <= Runs; run++)
    {
        var sw = Stopwatch.StartNew();
        var errors = TreeValidator.Validate(tree, options);
        var validated = sw.Elapsed.TotalMilliseconds;
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(errors[0].Message);
        }

        sw.Restart();
        var scheduler = new TreeScheduler(TaskGraph.Build(tree));
        var inFlight = new Queue<ReleasedTask>(scheduler.Start());
        while (inFlight.Count > 0)
        {
            scheduler.Complete(inFlight.Dequeue().Task.Id, result);
            foreach (var released in scheduler.Release())
            {
                inFlight.Enqueue(released);
            }
        }

        var scheduled = sw.Elapsed.TotalMilliseconds;
        if (scheduler.Status != TreeStatus.Completed)
        {
            throw new InvalidOperationException("the tree did not complete");
        }

        if (run > 0)
        {
            validate.Add(validated);
            schedule.Add(scheduled);
        }
    }

    var edges = tree.Tasks.Sum(t => t.Dependencies.Count);
    var v = Median(validate);
    var s = Median(schedule);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {edges,9:N0} {v,12:F1} {s,12:F1} {v + s,9:F1}"));
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

static TaskTree Chain(int n) => Tree(Enumerable.Range(0, n).Select(i =>
    new TaskDefinition($"t{i}", "system_info_executor", Dependencies: i == 0 ? [] : [new TaskDependency($"t{i - 1}")])));

static TaskTree RandomDag(int n, int averageDependencies, int seed)
{
    var random = new Random(seed);
    return Tree(Enumerable.Range(0, n).Select(i =>
    {
        var count = i == 0 ? 0 : Math.Min(i, random.Next(0, 2 * averageDependencies + 1));
        var picked = new HashSet<int>();
        while (picked.Count < count)
        {
            picked.Add(random.Next(Math.Max(0, i - 1000), i));
        }

        return new TaskDefinition($"t{i}", "system_info_executor", Priority: random.Next(0, 4),
            Dependencies: picked.Select(p => new TaskDependency($"t{p}", random.Next(4) != 0)).ToArray());
    }));
}

static TaskTree FanOutIn(int n) => Tree(Enumerable.Range(0, n).Select(i =>
    new TaskDefinition($"t{i}", "system_info_executor",
        Dependencies: i == 0 ? [] : i < n - 1 ? [new TaskDependency("t0")] : Enumerable.Range(1, 99).Select(j => new TaskDependency($"t{j}")).ToArray())));

static TaskTree Tree(IEnumerable<TaskDefinition> tasks) => new(null, null, 0, false, tasks.ToList());
