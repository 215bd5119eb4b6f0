using System.Text.Json;

namespace DurableFlow.Graph;

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
    private readonly TaskRunStatus[] _status;
    private readonly int[] _waitingOn;
    private readonly JsonElement?[] _results;
    private readonly int[] _counts = new int[6];
    private readonly PriorityQueue<int, long> _ready = new();
    private readonly Stack<int> _settle = new();
    private readonly List<TaskStatusChange> _changes = [];
    private bool _started;
    private bool _cancelled;

    /// <summary>Creates the state machine with every task pending, except carried ones.</summary>
    /// <param name="graph">The compiled tree.</param>
    /// <param name="maxParallelism">At most this many tasks in flight; 0 or less means unlimited.</param>
    /// <param name="carried">
    /// For a rerun: tasks that completed in an earlier run and keep their results; they start
    /// <see cref="TaskRunStatus.Completed"/>, are never released, and their results reach dependents.
    /// </param>
    public TreeScheduler(TaskGraph graph, int maxParallelism = 0, IReadOnlyDictionary<string, JsonElement>? carried = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
        _maxParallelism = Math.Max(0, maxParallelism);
        _status = new TaskRunStatus[graph.Count];
        _waitingOn = new int[graph.Count];
        _results = new JsonElement?[graph.Count];
        for (var i = 0; i < graph.Count; i++)
        {
            _waitingOn[i] = graph.DependenciesOf(i).Length;
        }

        _counts[(int)TaskRunStatus.Pending] = graph.Count;
        foreach (var (taskId, result) in carried ?? new Dictionary<string, JsonElement>())
        {
            var index = graph.IndexOf(taskId);
            Move(index, TaskRunStatus.Completed);
            _results[index] = result;
            foreach (var edge in graph.DependentsOf(index))
            {
                _waitingOn[edge.Task]--;
            }
        }
    }

    /// <summary>Tasks released and not yet recorded.</summary>
    public int InFlightCount => _counts[(int)TaskRunStatus.InProgress];

    public bool IsCancelled => _cancelled;

    /// <summary>True when every task is terminal.</summary>
    public bool IsFinished => _counts[(int)TaskRunStatus.Pending] == 0 && _counts[(int)TaskRunStatus.InProgress] == 0;

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
                if (_graph.IsLeaf(i) && _status[i] != TaskRunStatus.Completed)
                {
                    return TreeStatus.Failed;
                }
            }

            return TreeStatus.Completed;
        }
    }

    public TaskRunStatus StatusOf(int index) => _status[index];

    public TaskRunStatus StatusOf(string taskId) => _status[_graph.IndexOf(taskId)];

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
            if (_waitingOn[i] == 0 && _status[i] == TaskRunStatus.Pending)
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
        Finish(index, TaskRunStatus.Completed, result ?? JsonNull, null);
    }

    /// <summary>Records that the in-flight task <paramref name="taskId"/> failed with <paramref name="error"/>.</summary>
    public void Fail(string taskId, string error) => Finish(InFlight(taskId), TaskRunStatus.Failed, null, error);

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
            Move(index, TaskRunStatus.InProgress);
            var task = _graph.Tasks[index];
            _changes.Add(new TaskStatusChange(task.Id, TaskRunStatus.InProgress));
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
            if (_status[i] == TaskRunStatus.Pending)
            {
                Move(i, TaskRunStatus.Cancelled);
                _changes.Add(new TaskStatusChange(_graph.Tasks[i].Id, TaskRunStatus.Cancelled, Error: "cancelled before it started"));
            }
        }
    }

    /// <summary>Returns the transitions since the last call and forgets them (one batch per step).</summary>
    public IReadOnlyList<TaskStatusChange> TakeChanges()
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
        if (_status[index] != TaskRunStatus.InProgress)
        {
            throw new InvalidOperationException($"task '{taskId}' is {_status[index].ToWire()}, not in flight; an outcome can be recorded once");
        }

        return index;
    }

    private void Finish(int index, TaskRunStatus status, JsonElement? result, string? error)
    {
        Move(index, status);
        _changes.Add(new TaskStatusChange(_graph.Tasks[index].Id, status, result, error));
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
            if (_status[dependent] != TaskRunStatus.Pending)
            {
                continue;
            }

            if (edge.Required && outcome != TaskRunStatus.Completed)
            {
                Move(dependent, TaskRunStatus.Skipped);
                var reason = $"required dependency '{_graph.Tasks[index].Id}' {outcome.ToWire()}";
                _changes.Add(new TaskStatusChange(_graph.Tasks[dependent].Id, TaskRunStatus.Skipped, Error: reason));
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
            if (_status[edge.Task] == TaskRunStatus.Completed)
            {
                results[_graph.Tasks[edge.Task].Id] = _results[edge.Task] ?? JsonNull;
            }
        }

        return results;
    }

    private void Move(int index, TaskRunStatus to)
    {
        _counts[(int)_status[index]]--;
        _status[index] = to;
        _counts[(int)to]++;
    }

    private long Key(int index) => ((long)_graph.Tasks[index].Priority << 32) | (uint)index;
}
