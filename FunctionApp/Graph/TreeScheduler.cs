using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>A task the scheduler has released to run.</summary>
/// <param name="Index">The task's index in the tree.</param>
/// <param name="Task">The task definition.</param>
/// <param name="DependencyResults">Results of the dependencies that completed, by dependency id.</param>
public sealed record ReleasedTask(int Index, TaskDefinition Task, IReadOnlyDictionary<string, JsonElement> DependencyResults);

/// <summary>One status transition, as the status records should show it.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Status">Its new status.</param>
/// <param name="Result">The executor's result, for <see cref="TaskStatus.Completed"/>.</param>
/// <param name="Error">Why, for failed, skipped and cancelled tasks.</param>
public sealed record TaskChange(string TaskId, TaskStatus Status, JsonElement? Result = null, string? Error = null);

/// <summary>How many tasks are in each status.</summary>
public readonly record struct TaskCounts(int Pending, int InProgress, int Completed, int Failed, int Skipped, int Cancelled)
{
    public int Total => Pending + InProgress + Completed + Failed + Skipped + Cancelled;

    public int Terminal => Completed + Failed + Skipped + Cancelled;

    /// <summary>Share of tasks in a terminal status, 0..1.</summary>
    public double Progress => Total == 0 ? 0 : (double)Terminal / Total;

    public int this[TaskStatus status] => status switch
    {
        TaskStatus.Pending => Pending,
        TaskStatus.InProgress => InProgress,
        TaskStatus.Completed => Completed,
        TaskStatus.Failed => Failed,
        TaskStatus.Skipped => Skipped,
        TaskStatus.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static TaskCounts From(ReadOnlySpan<int> byStatus) =>
        new(byStatus[0], byStatus[1], byStatus[2], byStatus[3], byStatus[4], byStatus[5]);

    /// <summary>Counts the given statuses.</summary>
    public static TaskCounts Of(IEnumerable<TaskStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        Span<int> byStatus = stackalloc int[6];
        foreach (var status in statuses)
        {
            byStatus[(int)status]++;
        }

        return From(byStatus);
    }
}

/// <summary>
/// The scheduling state machine of one tree run. It decides which task may run next and what happens
/// to dependents when a task ends; the orchestrator only drives it.
/// <list type="bullet">
/// <item>A task is ready when every dependency is terminal and every required one completed; optional
/// dependencies are waited for whatever their outcome.</item>
/// <item>A required dependency that ends failed, skipped or cancelled skips the dependent at once, and
/// the skip cascades: nothing is left pending.</item>
/// <item>Ready tasks are released eagerly by priority (0 first), then submission order, at most
/// <c>max_parallelism</c> in flight when it is above 0.</item>
/// <item>When all tasks are terminal the tree is completed iff every leaf completed; cancelled if it was
/// cancelled; otherwise failed.</item>
/// </list>
/// Each call costs O(edges it changes), never O(tree size), except <see cref="Cancel"/>.
/// Not thread-safe (an orchestrator is single-threaded).
/// </summary>
public sealed class TreeScheduler
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement;

    private readonly TaskGraph _graph;
    private readonly int _maxParallelism;
    private readonly TaskStatus[] _status;
    private readonly int[] _waitingOn;
    private readonly JsonElement?[] _results;
    private readonly int[] _counts = new int[6];
    private readonly PriorityQueue<int, long> _ready = new();
    private readonly Stack<int> _settle = new();
    private readonly List<TaskChange> _changes = [];
    private bool _started;
    private bool _cancelled;

    /// <summary>Creates the state machine with every task pending, except carried ones.</summary>
    /// <param name="graph">The compiled tree.</param>
    /// <param name="maxParallelism">At most this many tasks in flight; 0 or less means unlimited.</param>
    /// <param name="carried">
    /// For a rerun: tasks that completed in an earlier run and keep their results; they start
    /// <see cref="TaskStatus.Completed"/>, are never released, and their results reach dependents.
    /// </param>
    public TreeScheduler(TaskGraph graph, int maxParallelism = 0, IReadOnlyDictionary<string, JsonElement>? carried = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
        _maxParallelism = Math.Max(0, maxParallelism);
        _status = new TaskStatus[graph.Count];
        _waitingOn = new int[graph.Count];
        _results = new JsonElement?[graph.Count];
        for (var i = 0; i < graph.Count; i++)
        {
            _waitingOn[i] = graph.DependenciesOf(i).Length;
        }

        _counts[(int)TaskStatus.Pending] = graph.Count;
        foreach (var (taskId, result) in carried ?? new Dictionary<string, JsonElement>())
        {
            var index = graph.IndexOf(taskId);
            Move(index, TaskStatus.Completed);
            _results[index] = result;
            foreach (var edge in graph.DependentsOf(index))
            {
                _waitingOn[edge.Task]--;
            }
        }
    }

    /// <summary>Tasks released and not yet recorded.</summary>
    public int InFlightCount => _counts[(int)TaskStatus.InProgress];

    public bool IsCancelled => _cancelled;

    /// <summary>True when every task is terminal.</summary>
    public bool IsFinished => _counts[(int)TaskStatus.Pending] == 0 && _counts[(int)TaskStatus.InProgress] == 0;

    public TaskCounts Counts => TaskCounts.From(_counts);

    /// <summary>The tree's status: pending before <see cref="Start"/>, then per the leaf rule.</summary>
    public TreeStatus Status
    {
        get
        {
            if (!IsFinished)
            {
                return _started ? TreeStatus.InProgress : TreeStatus.Pending;
            }

            if (_cancelled)
            {
                return TreeStatus.Cancelled;
            }

            for (var i = 0; i < _status.Length; i++)
            {
                if (_graph.IsLeaf(i) && _status[i] != TaskStatus.Completed)
                {
                    return TreeStatus.Failed;
                }
            }

            return TreeStatus.Completed;
        }
    }

    public TaskStatus StatusOf(int index) => _status[index];

    public TaskStatus StatusOf(string taskId) => _status[_graph.IndexOf(taskId)];

    /// <summary>Marks the run started and releases the tasks that have no dependencies.</summary>
    public IReadOnlyList<ReleasedTask> Start()
    {
        if (_started)
        {
            throw new InvalidOperationException("the scheduler was already started");
        }

        _started = true;
        for (var i = 0; i < _status.Length; i++)
        {
            if (_waitingOn[i] == 0 && _status[i] == TaskStatus.Pending)
            {
                _ready.Enqueue(i, Key(i));
            }
        }

        return Release();
    }

    /// <summary>Records that the in-flight task <paramref name="taskId"/> completed with <paramref name="result"/>.</summary>
    public void Complete(string taskId, JsonElement? result)
    {
        var index = InFlight(taskId);
        _results[index] = result ?? JsonNull;
        Finish(index, TaskStatus.Completed, result ?? JsonNull, null);
    }

    /// <summary>Records that the in-flight task <paramref name="taskId"/> failed with <paramref name="error"/>.</summary>
    public void Fail(string taskId, string error) => Finish(InFlight(taskId), TaskStatus.Failed, null, error);

    /// <summary>
    /// Releases ready tasks, most urgent first, up to the parallelism limit. Call after recording every
    /// outcome that is already known, so one step releases everything that became ready.
    /// </summary>
    public IReadOnlyList<ReleasedTask> Release()
    {
        if (_cancelled || _ready.Count == 0)
        {
            return [];
        }

        var released = new List<ReleasedTask>();
        while (_ready.Count > 0 && (_maxParallelism == 0 || InFlightCount < _maxParallelism))
        {
            var index = _ready.Dequeue();
            Move(index, TaskStatus.InProgress);
            var task = _graph.Tasks[index];
            _changes.Add(new TaskChange(task.Id, TaskStatus.InProgress));
            released.Add(new ReleasedTask(index, task, DependencyResults(index)));
        }

        return released;
    }

    /// <summary>
    /// Stops new dispatch: every task not yet started becomes cancelled; tasks in flight keep running and
    /// are recorded when they end. No effect on a finished tree.
    /// </summary>
    public void Cancel()
    {
        if (IsFinished || _cancelled)
        {
            return;
        }

        _cancelled = true;
        _ready.Clear();
        for (var i = 0; i < _status.Length; i++)
        {
            if (_status[i] == TaskStatus.Pending)
            {
                Move(i, TaskStatus.Cancelled);
                _changes.Add(new TaskChange(_graph.Tasks[i].Id, TaskStatus.Cancelled, Error: "cancelled before it started"));
            }
        }
    }

    /// <summary>Returns the transitions since the last call and forgets them (one batch per step).</summary>
    public IReadOnlyList<TaskChange> TakeChanges()
    {
        if (_changes.Count == 0)
        {
            return [];
        }

        var taken = _changes.ToArray();
        _changes.Clear();
        return taken;
    }

    private int InFlight(string taskId)
    {
        var index = _graph.IndexOf(taskId);
        if (_status[index] != TaskStatus.InProgress)
        {
            throw new InvalidOperationException($"task '{taskId}' is {_status[index].ToWire()}, not in flight; an outcome can be recorded once");
        }

        return index;
    }

    private void Finish(int index, TaskStatus status, JsonElement? result, string? error)
    {
        Move(index, status);
        _changes.Add(new TaskChange(_graph.Tasks[index].Id, status, result, error));
        _settle.Push(index);
        while (_settle.Count > 0)
        {
            Settle(_settle.Pop());
        }
    }

    /// <summary>Tells the dependents of a task that just became terminal.</summary>
    private void Settle(int index)
    {
        var outcome = _status[index];
        foreach (var edge in _graph.DependentsOf(index))
        {
            var dependent = edge.Task;
            if (_status[dependent] != TaskStatus.Pending)
            {
                continue;
            }

            if (edge.Required && outcome != TaskStatus.Completed)
            {
                Move(dependent, TaskStatus.Skipped);
                var reason = $"required dependency '{_graph.Tasks[index].Id}' {outcome.ToWire()}";
                _changes.Add(new TaskChange(_graph.Tasks[dependent].Id, TaskStatus.Skipped, Error: reason));
                _settle.Push(dependent);
            }
            else if (--_waitingOn[dependent] == 0 && !_cancelled)
            {
                _ready.Enqueue(dependent, Key(dependent));
            }
        }
    }

    private Dictionary<string, JsonElement> DependencyResults(int index)
    {
        var results = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var edge in _graph.DependenciesOf(index))
        {
            if (_status[edge.Task] == TaskStatus.Completed)
            {
                results[_graph.Tasks[edge.Task].Id] = _results[edge.Task] ?? JsonNull;
            }
        }

        return results;
    }

    private void Move(int index, TaskStatus to)
    {
        _counts[(int)_status[index]]--;
        _status[index] = to;
        _counts[(int)to]++;
    }

    private long Key(int index) => ((long)_graph.Tasks[index].Priority << 32) | (uint)index;
}
