using CsCheck;
using DurableFlow.Graph;
using static DurableFlow.Tests.Graph.Trees;

namespace DurableFlow.Tests.Graph;

/// <summary>
/// The scheduler against an independent, deliberately naive reference simulation, over random DAGs,
/// random failures, random completion orders, parallelism caps and cancellation.
/// </summary>
public class SchedulerPropertyTests
{
    /// <summary>A random DAG (edges only point to earlier tasks) plus how a run of it unfolds.</summary>
    public sealed record Scenario(int[] Priorities, (int Task, bool Required)[][] Dependencies, bool[] Fails, int MaxParallelism, int[] Choices, int CancelAtStep)
    {
        public int Count => Priorities.Length;

        public TaskTree ToTree() => new(null, null, MaxParallelism, false,
            Enumerable.Range(0, Count).Select(i => T($"t{i}", Priorities[i], Dependencies[i].Select(d => new TaskDependency($"t{d.Task}", d.Required)).ToArray())).ToArray());

        public override string ToString() =>
            $"cap={MaxParallelism} cancelAt={CancelAtStep} " + string.Join(" ", Enumerable.Range(0, Count).Select(i =>
                $"t{i}(p{Priorities[i]}{(Fails[i] ? ",fails" : "")})<-[{string.Join(",", Dependencies[i].Select(d => (d.Required ? "" : "?") + "t" + d.Task))}]"));
    }

    private static readonly Gen<Scenario> Scenarios =
        from n in Gen.Int[1, 40]
        from priorities in Gen.Int[0, 3].Array[n]
        from dependencyCounts in Gen.Int[0, 3].Array[n]
        from picks in Gen.Int[0, 1_000_000].Array[n * 3]
        from required in Gen.Int[0, 3].Array[n * 3]
        from fails in Gen.Int[0, 4].Array[n]
        from cap in Gen.Int[0, 4]
        from choices in Gen.Int[0, 1_000_000].Array[n * 2 + 2]
        from cancelAt in Gen.Int[-30, 2 * n]
        select new Scenario(
            priorities,
            Enumerable.Range(0, n).Select(i => i == 0 ? [] : Enumerable.Range(0, dependencyCounts[i])
                .Select(k => (Task: picks[i * 3 + k] % i, Required: required[i * 3 + k] != 0))
                .DistinctBy(d => d.Task).ToArray()).ToArray(),
            fails.Select(f => f == 0).ToArray(),
            cap,
            choices,
            cancelAt);

    [Fact]
    public void Scheduler_matches_the_reference_simulation() =>
        Scenarios.Sample(scenario => Compare(scenario), iter: 3_000);

    [Fact]
    public void Random_trees_are_valid_and_every_task_ends_terminal() =>
        Scenarios.Sample(scenario =>
        {
            var tree = scenario.ToTree();
            Assert.Empty(TreeValidator.Validate(tree));
            var scheduler = Run(scenario, out _);
            Assert.True(scheduler.IsFinished);
            for (var i = 0; i < scenario.Count; i++)
            {
                Assert.True(scheduler.StatusOf(i).IsTerminal());
            }
        }, iter: 500);

    private static void Compare(Scenario scenario)
    {
        var scheduler = Run(scenario, out var releasedByScheduler);
        var reference = new Reference(scenario);
        var releasedByReference = reference.Run();

        Assert.Equal(releasedByReference.Count, releasedByScheduler.Count);
        for (var step = 0; step < releasedByReference.Count; step++)
        {
            Assert.Equal(releasedByReference[step], releasedByScheduler[step]);
        }

        for (var i = 0; i < scenario.Count; i++)
        {
            Assert.Equal(reference.Status[i], scheduler.StatusOf(i));
        }

        Assert.Equal(reference.Outcome(), scheduler.Status);
    }

    /// <summary>Drives the real scheduler; returns the tasks released at each step.</summary>
    private static TreeScheduler Run(Scenario scenario, out List<List<int>> released)
    {
        var graph = TaskGraph.Build(scenario.ToTree());
        var scheduler = new TreeScheduler(graph, scenario.MaxParallelism);
        var inFlight = new List<int>();
        var steps = new List<List<int>>();
        released = steps;

        void Take(IReadOnlyList<ReleasedTask> batch)
        {
            foreach (var task in batch)
            {
                // Never released before its required dependencies completed and all dependencies ended.
                foreach (var (dependency, required) in scenario.Dependencies[task.Index])
                {
                    var status = scheduler.StatusOf(dependency);
                    Assert.True(status.IsTerminal());
                    Assert.True(!required || status == TaskRunStatus.Completed);
                }

                var completedDependencies = scenario.Dependencies[task.Index].Where(d => scheduler.StatusOf(d.Task) == TaskRunStatus.Completed).Select(d => $"t{d.Task}");
                Assert.Equal(completedDependencies.Order(), task.DependencyResults.Keys.Order());
                Assert.True(scenario.MaxParallelism == 0 || scheduler.InFlightCount <= scenario.MaxParallelism);
                inFlight.Add(task.Index);
            }

            steps.Add(batch.Select(t => t.Index).ToList());
        }

        Take(scheduler.Start());
        var step = 0;
        while (inFlight.Count > 0)
        {
            if (step == scenario.CancelAtStep)
            {
                scheduler.Cancel();
            }

            // Take in a batch of completions, as the orchestrator does after Task.WhenAny.
            var batch = 1 + (scenario.Choices[(2 * step + 1) % scenario.Choices.Length] % inFlight.Count);
            for (var k = 0; k < batch; k++)
            {
                var pick = inFlight[scenario.Choices[(2 * step) % scenario.Choices.Length] % inFlight.Count];
                inFlight.Remove(pick);
                if (scenario.Fails[pick])
                {
                    scheduler.Fail($"t{pick}", "boom");
                }
                else
                {
                    scheduler.Complete($"t{pick}", Json(pick.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            Take(scheduler.Release());
            step++;
        }

        return scheduler;
    }

    /// <summary>A naive simulation written from the rules, sharing no code with the scheduler.</summary>
    private sealed class Reference(Scenario scenario)
    {
        public TaskRunStatus[] Status { get; } = new TaskRunStatus[scenario.Count];

        private bool _cancelled;

        public List<List<int>> Run()
        {
            var released = new List<List<int>> { ReleaseReady() };
            var step = 0;
            while (InFlight().Count > 0)
            {
                if (step == scenario.CancelAtStep && !Finished())
                {
                    _cancelled = true;
                    for (var i = 0; i < Status.Length; i++)
                    {
                        if (Status[i] == TaskRunStatus.Pending)
                        {
                            Status[i] = TaskRunStatus.Cancelled;
                        }
                    }
                }

                var inFlight = InFlight();
                var batch = 1 + (scenario.Choices[(2 * step + 1) % scenario.Choices.Length] % inFlight.Count);
                for (var k = 0; k < batch; k++)
                {
                    var pick = inFlight[scenario.Choices[(2 * step) % scenario.Choices.Length] % inFlight.Count];
                    inFlight.Remove(pick);
                    Status[pick] = scenario.Fails[pick] ? TaskRunStatus.Failed : TaskRunStatus.Completed;
                }

                released.Add(ReleaseReady());
                step++;
            }

            return released;
        }

        public TreeStatus Outcome()
        {
            if (_cancelled)
            {
                return TreeStatus.Cancelled;
            }

            var leaves = Enumerable.Range(0, Status.Length).Where(i => !scenario.Dependencies.Any(ds => ds.Any(d => d.Task == i)));
            return leaves.All(i => Status[i] == TaskRunStatus.Completed) ? TreeStatus.Completed : TreeStatus.Failed;
        }

        private bool Finished() => Status.All(s => s is not (TaskRunStatus.Pending or TaskRunStatus.InProgress));

        // In-flight tasks in release order, as the driver of the real scheduler keeps them.
        private readonly List<int> _releaseOrder = [];

        private List<int> InFlight() => _releaseOrder.Where(i => Status[i] == TaskRunStatus.InProgress).ToList();

        private List<int> ReleaseReady()
        {
            // Skip to a fixed point: a pending task with a required dependency that did not complete.
            bool changed;
            do
            {
                changed = false;
                for (var i = 0; i < Status.Length; i++)
                {
                    if (Status[i] == TaskRunStatus.Pending && scenario.Dependencies[i].Any(d => d.Required && Status[d.Task] is TaskRunStatus.Failed or TaskRunStatus.Skipped or TaskRunStatus.Cancelled))
                    {
                        Status[i] = TaskRunStatus.Skipped;
                        changed = true;
                    }
                }
            }
            while (changed);

            if (_cancelled)
            {
                return [];
            }

            var ready = Enumerable.Range(0, Status.Length)
                .Where(i => Status[i] == TaskRunStatus.Pending && scenario.Dependencies[i].All(d => Status[d.Task] is TaskRunStatus.Completed or TaskRunStatus.Failed or TaskRunStatus.Skipped or TaskRunStatus.Cancelled))
                .OrderBy(i => scenario.Priorities[i]).ThenBy(i => i)
                .ToList();
            var released = new List<int>();
            foreach (var task in ready)
            {
                if (scenario.MaxParallelism > 0 && InFlight().Count >= scenario.MaxParallelism)
                {
                    break;
                }

                Status[task] = TaskRunStatus.InProgress;
                _releaseOrder.Add(task);
                released.Add(task);
            }

            return released;
        }
    }
}
