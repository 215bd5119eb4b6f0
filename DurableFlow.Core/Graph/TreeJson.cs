using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>
/// Reads the JSON task-tree contract (snake_case) into a <see cref="TaskTree"/>. Malformed JSON is
/// <c>invalid_json</c> with line and position; wrong types, missing required fields and unknown fields
/// are <c>invalid_request</c>, all reported at once with their JSON paths. Value rules (ids, priorities,
/// graph shape) are <see cref="TreeValidator"/>'s job.
/// </summary>
public static class TreeJson
{
    /// <summary>Deepest JSON nesting accepted (inputs included).</summary>
    public const int MaxDepth = StrictJson.MaxDepth;

    private static readonly string[] TreeFields = ["tree_id", "user_id", "max_parallelism", "use_demo", "tasks"];
    private static readonly string[] TaskFields = ["id", "name", "inputs", "priority", "parent_id", "dependencies", "retry", "timeout_seconds"];
    private static readonly string[] DependencyFields = ["id", "required"];
    private static readonly string[] RetryFields = ["max_attempts", "first_retry_interval_seconds", "backoff_coefficient", "max_retry_interval_seconds"];

    /// <summary>Parses UTF-8 JSON.</summary>
    public static TreeParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        if (!StrictJson.TryParse(utf8Json, out var document, out var error))
        {
            return Failed(error);
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    /// <summary>Parses JSON text.</summary>
    public static TreeParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads an already parsed JSON value.</summary>
    public static TreeParseResult Read(JsonElement root)
    {
        var errors = new ValidationErrorList();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Failed(new(ValidationCodes.InvalidRequest, $"the body must be a JSON object with a \"tasks\" array, got {DescribeKind(root)}", "$"));
        }

        RejectUnknown(root, "$", TreeFields, errors);
        var treeId = ReadString(root, "tree_id", "$", required: false, errors);
        var userId = ReadString(root, "user_id", "$", required: false, errors);
        var maxParallelism = ReadInt(root, "max_parallelism", "$", 0, errors);
        var useDemo = ReadBool(root, "use_demo", "$", false, errors);

        var tasks = new List<TaskDefinition>();
        if (!root.TryGetProperty("tasks", out var taskArray))
        {
            errors.Add(new(ValidationCodes.InvalidRequest, "the body has no \"tasks\" array", "$.tasks"));
        }
        else if (taskArray.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(ValidationCodes.InvalidRequest, $"\"tasks\" must be an array, got {DescribeKind(taskArray)}", "$.tasks"));
        }
        else
        {
            // Tasks are kept only while no problem is found: once the body is rejected they are never used.
            var index = 0;
            foreach (var element in taskArray.EnumerateArray())
            {
                var task = ReadTask(element, $"$.tasks[{index++}]", errors);
                if (task is not null && errors.Total == 0)
                {
                    tasks.Add(task);
                }
            }
        }

        return errors.Total > 0
            ? new TreeParseResult(null, errors)
            : new TreeParseResult(new TaskTree(treeId, userId, maxParallelism, useDemo, tasks), errors);
    }

    private static TaskDefinition? ReadTask(JsonElement element, string path, ValidationErrorList errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(ValidationCodes.InvalidRequest, $"each task must be a JSON object, got {DescribeKind(element)}", path));
            return null;
        }

        var before = errors.Total;
        RejectUnknown(element, path, TaskFields, errors);
        var id = ReadString(element, "id", path, required: true, errors);
        var name = ReadString(element, "name", path, required: true, errors);
        var priority = ReadInt(element, "priority", path, TaskDefinition.DefaultPriority, errors);
        var parentId = ReadString(element, "parent_id", path, required: false, errors);
        var timeout = ReadDouble(element, "timeout_seconds", path, errors);

        JsonElement? inputs = null;
        if (element.TryGetProperty("inputs", out var inputsElement) && inputsElement.ValueKind != JsonValueKind.Null)
        {
            if (inputsElement.ValueKind == JsonValueKind.Object)
            {
                inputs = inputsElement.Clone();
            }
            else
            {
                errors.Add(new(ValidationCodes.InvalidRequest, $"inputs must be a JSON object, got {DescribeKind(inputsElement)}", path + ".inputs", id));
            }
        }

        var dependencies = ReadDependencies(element, path, id, errors);
        var retry = ReadRetry(element, path, id, errors);

        return errors.Total > before || id is null || name is null
            ? null
            : new TaskDefinition(id, name, inputs, priority, parentId, dependencies, retry, timeout);
    }

    private static List<TaskDependency> ReadDependencies(JsonElement task, string path, string? taskId, ValidationErrorList errors)
    {
        var dependencies = new List<TaskDependency>();
        if (!task.TryGetProperty("dependencies", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return dependencies;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(ValidationCodes.InvalidRequest, $"dependencies must be an array, got {DescribeKind(array)}", path + ".dependencies", taskId));
            return dependencies;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}.dependencies[{index++}]";
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    dependencies.Add(new TaskDependency(item.GetString()!));
                    break;
                case JsonValueKind.Object:
                    RejectUnknown(item, itemPath, DependencyFields, errors);
                    var id = ReadString(item, "id", itemPath, required: true, errors);
                    var required = ReadBool(item, "required", itemPath, true, errors);
                    if (id is not null)
                    {
                        dependencies.Add(new TaskDependency(id, required));
                    }

                    break;
                default:
                    errors.Add(new(ValidationCodes.InvalidRequest, $"a dependency must be a task id string or an object {{\"id\", \"required\"}}, got {DescribeKind(item)}", itemPath, taskId));
                    break;
            }
        }

        return dependencies;
    }

    private static RetrySettings? ReadRetry(JsonElement task, string path, string? taskId, ValidationErrorList errors)
    {
        if (!task.TryGetProperty("retry", out var retry) || retry.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        path += ".retry";
        if (retry.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(ValidationCodes.InvalidRequest, $"retry must be an object, got {DescribeKind(retry)}", path, taskId));
            return null;
        }

        RejectUnknown(retry, path, RetryFields, errors);
        if (!retry.TryGetProperty("max_attempts", out _))
        {
            errors.Add(new(ValidationCodes.InvalidRequest, "retry.max_attempts is required", path + ".max_attempts", taskId));
        }

        var maxAttempts = ReadInt(retry, "max_attempts", path, 1, errors);
        var first = ReadDouble(retry, "first_retry_interval_seconds", path, errors) ?? RetrySettings.DefaultFirstRetryIntervalSeconds;
        var backoff = ReadDouble(retry, "backoff_coefficient", path, errors) ?? RetrySettings.DefaultBackoffCoefficient;
        var max = ReadDouble(retry, "max_retry_interval_seconds", path, errors);
        return new RetrySettings(maxAttempts, first, backoff, max);
    }

    private static void RejectUnknown(JsonElement element, string path, string[] known, ValidationErrorList errors)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                errors.Add(new(ValidationCodes.InvalidRequest, $"unknown field \"{Truncate(property.Name)}\"; expected one of: {string.Join(", ", known)}", $"{path}.{Truncate(property.Name)}"));
            }
        }
    }

    private static string? ReadString(JsonElement element, string name, string path, bool required, ValidationErrorList errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new(ValidationCodes.InvalidRequest, $"\"{name}\" is required", $"{path}.{name}"));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(ValidationCodes.InvalidRequest, $"\"{name}\" must be a string, got {DescribeKind(value)}", $"{path}.{name}"));
            return null;
        }

        return value.GetString();
    }

    private static int ReadInt(JsonElement element, string name, string path, int fallback, ValidationErrorList errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        // 1.0 is a whole number too (Python's json writes floats that way).
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var real) && real == Math.Floor(real) && real is >= int.MinValue and <= int.MaxValue)
        {
            return (int)real;
        }

        errors.Add(new(ValidationCodes.InvalidRequest, $"\"{name}\" must be a whole number from {int.MinValue} to {int.MaxValue}, got {Describe(value)}", $"{path}.{name}"));
        return fallback;
    }

    private static double? ReadDouble(JsonElement element, string name, string path, ValidationErrorList errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        errors.Add(new(ValidationCodes.InvalidRequest, $"\"{name}\" must be a number, got {Describe(value)}", $"{path}.{name}"));
        return null;
    }

    private static bool ReadBool(JsonElement element, string name, string path, bool fallback, ValidationErrorList errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(new(ValidationCodes.InvalidRequest, $"\"{name}\" must be true or false, got {DescribeKind(value)}", $"{path}.{name}"));
        return fallback;
    }

    private static TreeParseResult Failed(ValidationError error) => new(null, [error]);

    /// <summary>Names a JSON value's kind for messages: <c>a string</c>, <c>a number</c>, ...</summary>
    public static string DescribeKind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? Truncate(value.GetRawText()) : DescribeKind(value);

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
