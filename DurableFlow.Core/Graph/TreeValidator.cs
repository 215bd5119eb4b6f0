using System.Globalization;

namespace DurableFlow.Graph;

/// <summary>
/// Checks a task tree and reports every problem at once, each with a stable code. Runs in time linear
/// in tasks + dependencies and never recurses, so a 100,000-task chain cannot overflow the stack.
/// </summary>
public static class TreeValidator
{
    /// <summary>Longest id accepted for a task or a tree.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest timeout or retry interval accepted: one week.</summary>
    public const double MaxSeconds = 7 * 24 * 3600;

    /// <summary>Shortest retry interval accepted: 1 ms. Durable's retry policy needs a positive interval, and
    /// a value below a millisecond (<c>1e-8</c>) rounds to nothing; sub-second intervals are still honoured
    /// as well as durable timers can (on Azure Storage, to the whole second).</summary>
    public const double MinRetryIntervalSeconds = 0.001;

    /// <summary>Shortest timeout accepted: 1 s, the granularity of durable timers on Azure Storage (a shorter
    /// timeout would fire at an arbitrary point of its first second).</summary>
    public const double MinTimeoutSeconds = 1;

    /// <summary>Most attempts a retry policy may ask for.</summary>
    public const int MaxRetryAttempts = 100;

    /// <summary>Largest retry backoff coefficient accepted.</summary>
    public const double MaxBackoffCoefficient = 100;

    /// <summary>
    /// True for 1–128 characters of ASCII letters, digits and <c>._:-</c>, starting with a letter or digit.
    /// </summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Longest user id accepted.</summary>
    public const int MaxUserIdLength = 256;

    /// <summary>
    /// True for 1–256 characters without control characters or <c>/ \ # ?</c> (user ids come from
    /// identity providers, so they are freer than task ids, but they key storage rows).
    /// </summary>
    public static bool IsValidUserId(string? userId)
    {
        if (string.IsNullOrEmpty(userId) || userId.Length > MaxUserIdLength)
        {
            return false;
        }

        foreach (var c in userId)
        {
            if (char.IsControl(c) || c is '/' or '\\' or '#' or '?')
            {
                return false;
            }
        }

        return Utf16Text.IsWellFormed(userId);
    }

    /// <summary>Validates <paramref name="tree"/>; an empty list means the tree can run. At most
    /// <see cref="ValidationErrorList.MaxKept"/> problems are kept; the rest are counted (the list is a
    /// <see cref="ValidationErrorList"/>).</summary>
    public static IReadOnlyList<ValidationError> Validate(TaskTree tree, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= new ValidationOptions();
        var errors = new ValidationErrorList();

        if (tree.TreeId is not null && !IsValidId(tree.TreeId))
        {
            errors.Add(new(ValidationCodes.InvalidId, $"tree_id {Describe(tree.TreeId)} is not a valid id: {IdRule}", "$.tree_id"));
        }

        if (tree.UserId is not null && !IsValidUserId(tree.UserId))
        {
            errors.Add(new(ValidationCodes.InvalidField, $"user_id {Describe(tree.UserId)} is not valid: use 1-{MaxUserIdLength} characters without control characters or / \\ # ?", "$.user_id"));
        }

        if (tree.MaxParallelism < 0)
        {
            errors.Add(new(ValidationCodes.InvalidField, "max_parallelism must be 0 (unlimited) or a positive number of tasks", "$.max_parallelism"));
        }

        var tasks = tree.Tasks;
        if (tasks.Count == 0)
        {
            errors.Add(new(ValidationCodes.EmptyTree, "the tree has no tasks", "$.tasks"));
            return errors;
        }

        if (tasks.Count > options.MaxTasks)
        {
            // Stop here: checking every task of an oversized tree is work the caller will not use.
            errors.Add(new(ValidationCodes.TooManyTasks, $"the tree has {tasks.Count} tasks; the limit is {options.MaxTasks}", "$.tasks"));
            return errors;
        }

        var indexById = new Dictionary<string, int>(tasks.Count, StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            var path = $"$.tasks[{i}]";
            if (!IsValidId(task.Id))
            {
                errors.Add(new(ValidationCodes.InvalidId, $"task id {Describe(task.Id)} is not a valid id: {IdRule}", path + ".id", task.Id));
            }
            else if (!indexById.TryAdd(task.Id, i))
            {
                errors.Add(new(ValidationCodes.DuplicateTaskId, $"task id '{task.Id}' is used more than once (first at $.tasks[{indexById[task.Id]}])", path + ".id", task.Id, task.Id));
            }
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            CheckTask(tasks[i], i, indexById, options, errors);
        }

        FindDependencyCycle(tasks, indexById, errors);
        FindParentCycles(tasks, indexById, errors);
        return errors;
    }

    private const string IdRule = "use 1-128 ASCII letters, digits and ._:- starting with a letter or digit";

    private static void CheckTask(TaskDefinition task, int index, Dictionary<string, int> indexById, ValidationOptions options, ValidationErrorList errors)
    {
        var path = $"$.tasks[{index}]";
        var who = $"task '{task.Id}'";

        if (string.IsNullOrEmpty(task.Name))
        {
            errors.Add(new(ValidationCodes.InvalidField, $"{who}: name (the executor id) must not be empty", path + ".name", task.Id));
        }
        else if (options.KnownExecutors is not null && !options.KnownExecutors.Contains(task.Name))
        {
            var known = string.Join(", ", options.KnownExecutors.Order(StringComparer.Ordinal));
            errors.Add(new(ValidationCodes.UnknownExecutor, $"{who}: no executor named {Describe(task.Name)}; registered executors: {known}", path + ".name", task.Id, task.Name));
        }

        if (task.Inputs is { } inputs && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(inputs).Length is var inputBytes && inputBytes > options.MaxInputBytesPerTask)
        {
            // A task's inputs travel in every attempt's activity message (at most 4 MB between host and worker).
            errors.Add(new(ValidationCodes.InvalidField, $"{who}: inputs are {inputBytes:N0} bytes; the limit is {options.MaxInputBytesPerTask:N0} bytes per task", path + ".inputs", task.Id));
        }

        if (task.Priority < 0)
        {
            errors.Add(new(ValidationCodes.InvalidField, $"{who}: priority must be 0 (most urgent) or more, got {task.Priority}", path + ".priority", task.Id));
        }

        if (task.TimeoutSeconds is { } timeout && !(timeout >= MinTimeoutSeconds && timeout <= MaxSeconds))
        {
            errors.Add(new(ValidationCodes.InvalidField, $"{who}: timeout_seconds must be at least {Format(MinTimeoutSeconds)} and at most {MaxSeconds}, got {Format(timeout)}", path + ".timeout_seconds", task.Id));
        }

        if (task.Retry is { } retry)
        {
            CheckRetry(retry, path + ".retry", who, task.Id, errors);
        }

        if (task.ParentId is { } parentId && parentId != task.Id && !indexById.ContainsKey(parentId))
        {
            errors.Add(new(ValidationCodes.UnknownParent, $"{who}: parent_id {Describe(parentId)} is not a task of this tree", path + ".parent_id", task.Id, parentId));
        }

        var dependencies = task.Dependencies;
        if (dependencies.Count > options.MaxDependenciesPerTask)
        {
            errors.Add(new(ValidationCodes.TooManyDependencies, $"{who} has {dependencies.Count} dependencies; the limit is {options.MaxDependenciesPerTask}", path + ".dependencies", task.Id));
            return;
        }

        HashSet<string>? seen = dependencies.Count > 1 ? new(StringComparer.Ordinal) : null;
        for (var d = 0; d < dependencies.Count; d++)
        {
            var dependencyId = dependencies[d].Id;
            var dependencyPath = $"{path}.dependencies[{d}]";
            if (dependencyId == task.Id)
            {
                errors.Add(new(ValidationCodes.SelfDependency, $"{who} depends on itself", dependencyPath, task.Id, dependencyId));
            }
            else if (!indexById.ContainsKey(dependencyId))
            {
                errors.Add(new(ValidationCodes.MissingDependency, $"{who} depends on {Describe(dependencyId)}, which is not a task of this tree", dependencyPath, task.Id, dependencyId));
            }
            else if (seen is not null && !seen.Add(dependencyId))
            {
                errors.Add(new(ValidationCodes.InvalidField, $"{who} lists dependency '{dependencyId}' more than once", dependencyPath, task.Id, dependencyId));
            }
        }
    }

    private static void CheckRetry(RetrySettings retry, string path, string who, string taskId, ValidationErrorList errors)
    {
        if (retry.MaxAttempts is < 1 or > MaxRetryAttempts)
        {
            errors.Add(new(ValidationCodes.InvalidField, $"{who}: retry.max_attempts must be 1 to {MaxRetryAttempts}, got {retry.MaxAttempts}", path + ".max_attempts", taskId));
        }

        if (!(retry.FirstRetryIntervalSeconds >= MinRetryIntervalSeconds && retry.FirstRetryIntervalSeconds <= MaxSeconds))
        {
            errors.Add(new(ValidationCodes.InvalidField, $"{who}: retry.first_retry_interval_seconds must be at least {Format(MinRetryIntervalSeconds)} and at most {MaxSeconds}, got {Format(retry.FirstRetryIntervalSeconds)}", path + ".first_retry_interval_seconds", taskId));
        }

        if (!(retry.BackoffCoefficient >= 1 && retry.BackoffCoefficient <= MaxBackoffCoefficient))
        {
            errors.Add(new(ValidationCodes.InvalidField, $"{who}: retry.backoff_coefficient must be 1 to {MaxBackoffCoefficient}, got {Format(retry.BackoffCoefficient)}", path + ".backoff_coefficient", taskId));
        }

        if (retry.MaxRetryIntervalSeconds is { } max && !(max >= retry.FirstRetryIntervalSeconds && max <= MaxSeconds))
        {
            errors.Add(new(ValidationCodes.InvalidField, $"{who}: retry.max_retry_interval_seconds must be at least first_retry_interval_seconds and at most {MaxSeconds}, got {Format(max)}", path + ".max_retry_interval_seconds", taskId));
        }
    }

    /// <summary>Iterative three-colour DFS over valid edges; reports the first cycle it meets.</summary>
    private static void FindDependencyCycle(IReadOnlyList<TaskDefinition> tasks, Dictionary<string, int> indexById, ValidationErrorList errors)
    {
        var n = tasks.Count;
        var color = new byte[n]; // 0 unvisited, 1 on the current path, 2 done
        var stack = new Stack<(int Node, int NextEdge)>();
        for (var root = 0; root < n; root++)
        {
            if (color[root] != 0 || indexById.GetValueOrDefault(tasks[root].Id, -1) != root)
            {
                continue;
            }

            stack.Push((root, 0));
            color[root] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var dependencies = tasks[node].Dependencies;
                var advanced = false;
                while (next < dependencies.Count)
                {
                    var target = indexById.GetValueOrDefault(dependencies[next].Id, -1);
                    next++;
                    if (target < 0 || target == node)
                    {
                        continue; // missing or self edges are reported on their own
                    }

                    if (color[target] == 1)
                    {
                        errors.Add(CycleError(tasks, stack, node, target));
                        return;
                    }

                    if (color[target] == 0)
                    {
                        stack.Push((node, next));
                        stack.Push((target, 0));
                        color[target] = 1;
                        advanced = true;
                        break;
                    }
                }

                if (!advanced)
                {
                    color[node] = 2;
                }
            }
        }
    }

    private static ValidationError CycleError(IReadOnlyList<TaskDefinition> tasks, Stack<(int Node, int NextEdge)> stack, int node, int target)
    {
        // The stack holds the DFS path below `node` (top = parent of node); the cycle runs from target
        // down the path to node and back to target, each task depending on the next.
        var path = new List<string> { tasks[node].Id };
        foreach (var (ancestor, _) in stack)
        {
            if (ancestor == target)
            {
                break;
            }

            path.Add(tasks[ancestor].Id);
        }

        path.Add(tasks[target].Id);
        path.Reverse();
        path.Add(path[0]);
        var index = 0;
        for (var i = 0; i < tasks.Count; i++)
        {
            if (tasks[i].Id == path[0])
            {
                index = i;
                break;
            }
        }

        return new(ValidationCodes.CycleDetected,
            $"dependency cycle: {string.Join(" -> ", path)} (each task depends on the next)",
            $"$.tasks[{index}].dependencies", path[0], Cycle: path);
    }

    /// <summary>Parent links form a functional graph: walk each chain once, colouring as we go.</summary>
    private static void FindParentCycles(IReadOnlyList<TaskDefinition> tasks, Dictionary<string, int> indexById, ValidationErrorList errors)
    {
        var n = tasks.Count;
        var state = new byte[n]; // 0 unvisited, 1 on the current walk, 2 done
        var walk = new List<int>();
        for (var start = 0; start < n; start++)
        {
            if (state[start] != 0)
            {
                continue;
            }

            walk.Clear();
            var current = start;
            while (current >= 0 && state[current] == 0)
            {
                state[current] = 1;
                walk.Add(current);
                var parentId = tasks[current].ParentId;
                current = parentId is null ? -1 : indexById.GetValueOrDefault(parentId, -1);
            }

            if (current >= 0 && state[current] == 1)
            {
                var cycle = new List<string>();
                for (var i = walk.IndexOf(current); i < walk.Count; i++)
                {
                    cycle.Add(tasks[walk[i]].Id);
                }

                cycle.Add(cycle[0]);
                errors.Add(new(ValidationCodes.ParentCycle,
                    $"parent_id links form a cycle: {string.Join(" -> ", cycle)} (each task's parent is the next)",
                    $"$.tasks[{current}].parent_id", cycle[0], Cycle: cycle));
            }

            foreach (var visited in walk)
            {
                state[visited] = 2;
            }
        }
    }

    private static string Describe(string? id) => id is null ? "null" : id.Length > 64 ? $"'{id[..64]}...' ({id.Length} characters)" : $"'{id}'";

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
