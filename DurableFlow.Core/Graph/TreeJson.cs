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
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly string[] TreeFields = ["tree_id", "user_id", "max_parallelism", "use_demo", "tasks"];
    private static readonly string[] TaskFields = ["id", "name", "inputs", "priority", "parent_id", "dependencies", "retry", "timeout_seconds"];
    private static readonly string[] DependencyFields = ["id", "required"];
    private static readonly string[] RetryFields = ["max_attempts", "first_retry_interval_seconds", "backoff_coefficient", "max_retry_interval_seconds"];

    /// <summary>Parses UTF-8 JSON.</summary>
    public static TreeParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        // RFC 8259 lets a parser ignore a UTF-8 byte order mark; some clients (PowerShell 5, editors) send one.
        if (utf8Json.Span.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        // The parser checks structure, not text: bytes that are not UTF-8 and \uD800-style escapes of a lone
        // surrogate only fail when a string is read (an InvalidOperationException, a 500), or pass on to
        // storage and executors. Both are rejected here, before anything reads a string.
        if (FindInvalidUtf8(utf8Json.Span) is { } badByte)
        {
            return Failed(new(ValidationCodes.InvalidJson, $"the body is not valid UTF-8 (at byte {badByte}): send JSON encoded as UTF-8", "$"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return Failed(InvalidJson(ex));
        }
        catch (InvalidOperationException)
        {
            // The duplicate-property check decodes property names: a lone surrogate escape in one ends up here.
            return Failed(LoneSurrogate(null));
        }

        using (document)
        {
            if (FindUnpairedSurrogateEscape(utf8Json.Span) is { } badEscape)
            {
                return Failed(LoneSurrogate(badEscape));
            }

            return Read(document.RootElement);
        }
    }

    private static ValidationError LoneSurrogate(long? offset) =>
        new(ValidationCodes.InvalidJson, $"the body is not valid JSON text{(offset is null ? "" : $" (at byte {offset})")}: a string escapes a lone UTF-16 surrogate; \\uD800-\\uDFFF escapes must come in pairs", "$");

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null.</summary>
    private static int? FindInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return null;
        }

        var offset = 0;
        while (offset < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return null;
    }

    /// <summary>The offset of the first escaped string or property name that does not decode (a lone
    /// surrogate escape), or null. Runs on JSON the document parser accepted; only escaped strings are decoded.</summary>
    private static long? FindUnpairedSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if ((reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName) && reader.ValueIsEscaped)
            {
                string? text;
                try
                {
                    text = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex;
                }

                // Some lone escapes decode without an error (e.g. a high surrogate at the end of a string).
                if (text is not null && HasUnpairedSurrogate(text))
                {
                    return reader.TokenStartIndex;
                }
            }
        }

        return null;
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
        var errors = new List<ValidationError>();
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
            tasks.Capacity = taskArray.GetArrayLength();
            var index = 0;
            foreach (var element in taskArray.EnumerateArray())
            {
                var task = ReadTask(element, $"$.tasks[{index++}]", errors);
                if (task is not null)
                {
                    tasks.Add(task);
                }
            }
        }

        return errors.Count > 0
            ? new TreeParseResult(null, errors)
            : new TreeParseResult(new TaskTree(treeId, userId, maxParallelism, useDemo, tasks), errors);
    }

    private static TaskDefinition? ReadTask(JsonElement element, string path, List<ValidationError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(ValidationCodes.InvalidRequest, $"each task must be a JSON object, got {DescribeKind(element)}", path));
            return null;
        }

        var before = errors.Count;
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

        return errors.Count > before || id is null || name is null
            ? null
            : new TaskDefinition(id, name, inputs, priority, parentId, dependencies, retry, timeout);
    }

    private static List<TaskDependency> ReadDependencies(JsonElement task, string path, string? taskId, List<ValidationError> errors)
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

    private static RetrySettings? ReadRetry(JsonElement task, string path, string? taskId, List<ValidationError> errors)
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

    private static void RejectUnknown(JsonElement element, string path, string[] known, List<ValidationError> errors)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                errors.Add(new(ValidationCodes.InvalidRequest, $"unknown field \"{Truncate(property.Name)}\"; expected one of: {string.Join(", ", known)}", $"{path}.{Truncate(property.Name)}"));
            }
        }
    }

    private static string? ReadString(JsonElement element, string name, string path, bool required, List<ValidationError> errors)
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

    private static int ReadInt(JsonElement element, string name, string path, int fallback, List<ValidationError> errors)
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

    private static double? ReadDouble(JsonElement element, string name, string path, List<ValidationError> errors)
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

    private static bool ReadBool(JsonElement element, string name, string path, bool fallback, List<ValidationError> errors)
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

    private static ValidationError InvalidJson(JsonException ex)
    {
        var where = ex.LineNumber is { } line
            ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}"
            : string.Empty;
        // The exception message repeats the position in its own words; keep only the first sentence.
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            reason = reason[..cut].TrimEnd(' ', '|', '.');
        }

        return new(ValidationCodes.InvalidJson, $"the body is not valid JSON{where}: {reason}", ex.Path);
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
