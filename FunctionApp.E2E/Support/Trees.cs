namespace DurableFlow.E2E.Support;

/// <summary>Builds submission bodies the way a user writes them, and finds the checked-in samples.</summary>
public static class Trees
{
    /// <summary>A user id of its own for each test, so lists and ownership never see another test's trees.</summary>
    public static string NewUser() => "e2e-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A tree id of its own for each test.</summary>
    public static string NewId(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    public static JsonObject Tree(string userId, params JsonObject[] tasks) => new()
    {
        ["user_id"] = userId,
        ["tasks"] = new JsonArray([.. tasks]),
    };

    public static JsonObject SystemInfo(string id, string resource = "cpu", int priority = 1) => new()
    {
        ["id"] = id,
        ["name"] = "system_info_executor",
        ["priority"] = priority,
        ["inputs"] = new JsonObject { ["resource"] = resource },
    };

    /// <summary>Adds required dependencies to a task.</summary>
    public static JsonObject After(this JsonObject task, params string[] ids) => task.With(ids, required: true);

    /// <summary>Adds optional dependencies to a task.</summary>
    public static JsonObject AfterOptional(this JsonObject task, params string[] ids) => task.With(ids, required: false);

    public static JsonObject Set(this JsonObject node, string name, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(node);
        node[name] = value;
        return node;
    }

    /// <summary>A sample tree of <c>samples/</c>, given to a fresh user.</summary>
    public static JsonObject Sample(string file, string userId)
    {
        var tree = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", file)))!.AsObject();
        tree["user_id"] = userId;
        return tree;
    }

    private static JsonObject With(this JsonObject task, string[] ids, bool required)
    {
        if (task["dependencies"] is not JsonArray dependencies)
        {
            dependencies = [];
            task["dependencies"] = dependencies;
        }

        foreach (var id in ids)
        {
            dependencies.Add(new JsonObject { ["id"] = id, ["required"] = required });
        }

        return task;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "e2e.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (with e2e.sh) was not found above " + AppContext.BaseDirectory);
    }
}
