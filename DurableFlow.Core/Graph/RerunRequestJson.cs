using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>
/// Reads the rerun body <c>{"tasks": [...], "expected_run": n}</c> with the same discipline as the tree
/// (<see cref="StrictJson"/>: UTF-8, no repeated property, bounded depth, no lone surrogate), and rejects
/// unknown fields. An empty body is the API's business (it means <see cref="RerunRequest.Default"/>).
/// </summary>
public static class RerunRequestJson
{
    public static RerunRequestParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        if (!StrictJson.TryParse(utf8Json, out var document, out var error))
        {
            return Failed(error);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("the body must be an object {\"tasks\": [...], \"expected_run\": n}", "$");
            }

            var tasks = new List<string>();
            int? expectedRun = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "tasks" when property.Value.ValueKind == JsonValueKind.Array
                        && property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                        tasks.AddRange(property.Value.EnumerateArray().Select(e => e.GetString()!));
                        break;
                    case "tasks":
                        return Invalid("\"tasks\" must be an array of task ids", "$.tasks");
                    case "expected_run" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var n) && n >= 1:
                        expectedRun = n;
                        break;
                    case "expected_run":
                        return Invalid("\"expected_run\" must be a run number (1 or more)", "$.expected_run");
                    default:
                        return Invalid($"unknown field \"{property.Name}\"; expected tasks, expected_run", "$." + property.Name);
                }
            }

            return new(new RerunRequest(tasks, expectedRun), null);
        }
    }

    private static RerunRequestParseResult Invalid(string message, string path) =>
        Failed(new ValidationError(ValidationCodes.InvalidRequest, message, path));

    private static RerunRequestParseResult Failed(ValidationError error) => new(RerunRequest.Default, error);
}
