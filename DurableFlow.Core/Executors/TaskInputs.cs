using System.Globalization;
using System.Text.Json;

using DurableFlow.Graph;

namespace DurableFlow.Executors;

/// <summary>
/// Typed reads from a task's <c>inputs</c> object, failing with <see cref="InvalidTaskInputException"/>
/// messages that name the field (<c>inputs.timeout_seconds must be a number</c>). Shared by every
/// executor so inputs behave the same everywhere: an absent field and a JSON <c>null</c> both mean
/// "use the default", and fields the executor does not declare are rejected, because a typo such as
/// <c>header</c> for <c>headers</c> must not be silently ignored (the tree contract rejects unknown fields
/// for the same reason).
/// </summary>
public sealed class TaskInputs
{
    private readonly JsonElement _inputs;

    /// <summary>Wraps <paramref name="inputs"/>; with <paramref name="known"/>, rejects fields not listed there.</summary>
    /// <param name="inputs">The task's inputs: an object; undefined or <c>null</c> read as an empty object.</param>
    /// <param name="known">The executor's declared inputs, or null to accept any field.</param>
    /// <exception cref="InvalidTaskInputException">Inputs is not an object, or has an undeclared field.</exception>
    public TaskInputs(JsonElement inputs, IReadOnlyList<ExecutorInput>? known = null)
    {
        if (inputs.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return;
        }

        if (inputs.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidTaskInputException($"inputs must be a JSON object, got {Kind(inputs)}");
        }

        _inputs = inputs;
        if (known is null)
        {
            return;
        }

        foreach (var property in inputs.EnumerateObject())
        {
            // Fields starting with '_' are DurableFlow's own options (e.g. _demo_sleep), not the executor's.
            if (property.Name.StartsWith('_'))
            {
                continue;
            }

            if (!known.Any(k => string.Equals(k.Name, property.Name, StringComparison.Ordinal)))
            {
                var names = known.Count == 0 ? "none" : string.Join(", ", known.Select(k => k.Name));
                throw new InvalidTaskInputException($"inputs.{property.Name} is not an input of this executor; its inputs are: {names}");
            }
        }
    }

    /// <summary>The field's value when it is present and not <c>null</c>.</summary>
    public bool TryGet(string name, out JsonElement value)
    {
        if (_inputs.ValueKind == JsonValueKind.Object
            && _inputs.TryGetProperty(name, out value)
            && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Whether the field is present and not <c>null</c>.</summary>
    public bool Has(string name) => TryGet(name, out _);

    /// <summary>A string field, or <paramref name="defaultValue"/> when absent.</summary>
    public string? GetString(string name, string? defaultValue = null)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidTaskInputException($"inputs.{name} must be a string, got {Kind(value)}");
    }

    /// <summary>A string field that must be given and not be empty.</summary>
    public string GetRequiredString(string name)
    {
        var value = GetString(name) ?? throw new InvalidTaskInputException($"inputs.{name} is required");
        return value.Length > 0 ? value : throw new InvalidTaskInputException($"inputs.{name} must not be empty");
    }

    /// <summary>A number field, or <paramref name="defaultValue"/> when absent, optionally bounded.</summary>
    /// <param name="name">Field name.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <param name="greaterThan">Exclusive lower bound, if any.</param>
    /// <param name="atMost">Inclusive upper bound, if any.</param>
    public double GetNumber(string name, double defaultValue, double? greaterThan = null, double? atMost = null)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw new InvalidTaskInputException($"inputs.{name} must be a number, got {Kind(value)}");
        }

        if ((greaterThan is { } low && number <= low) || (atMost is { } high && number > high))
        {
            var range = (greaterThan, atMost) switch
            {
                ({ } l, { } h) => $"more than {Format(l)} and at most {Format(h)}",
                ({ } l, null) => $"more than {Format(l)}",
                (null, { } h) => $"at most {Format(h)}",
                _ => "in range",
            };
            throw new InvalidTaskInputException($"inputs.{name} must be {range}, got {Format(number)}");
        }

        return number;
    }

    /// <summary>A boolean field, or <paramref name="defaultValue"/> when absent.</summary>
    public bool GetBoolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidTaskInputException($"inputs.{name} must be true or false, got {Kind(value)}"),
        };
    }

    /// <summary>An array-of-strings field; empty when absent.</summary>
    public IReadOnlyList<string> GetStringArray(string name)
    {
        if (!TryGet(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidTaskInputException($"inputs.{name} must be an array of strings, got {Kind(value)}");
        }

        var items = new List<string>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new InvalidTaskInputException($"inputs.{name}[{index}] must be a string, got {Kind(item)}"));
            index++;
        }

        return items;
    }

    /// <summary>An object-of-strings field (e.g. headers), in document order; empty when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GetStringMap(string name)
    {
        if (!TryGet(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidTaskInputException($"inputs.{name} must be an object of strings, got {Kind(value)}");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var property in value.EnumerateObject())
        {
            pairs.Add(property.Value.ValueKind == JsonValueKind.String
                ? new(property.Name, property.Value.GetString()!)
                : throw new InvalidTaskInputException($"inputs.{name}.{property.Name} must be a string, got {Kind(property.Value)}"));
        }

        return pairs;
    }

    /// <summary>Names a JSON value's kind for messages: <c>a string</c>, <c>a number</c>, ...</summary>
    public static string Kind(JsonElement value) => TreeJson.DescribeKind(value);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
