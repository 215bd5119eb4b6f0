using System.Text.Json.Serialization;

namespace DurableFlow.Api;

/// <summary>Links of a tree.</summary>
public sealed record TreeLinks(string Self, string Cancel)
{
    /// <summary>Route prefix of every API path.</summary>
    public const string RoutePrefix = "/api";

    /// <summary>The tree's pages of tasks; only in the tree read (other answers keep the links they always had).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tasks { get; init; }

    public static TreeLinks For(string treeId) => new(PathOf(treeId), PathOf(treeId) + "/cancel");

    /// <summary>The links of the tree read: <see cref="For"/> and the tasks route.</summary>
    public static TreeLinks ForTree(string treeId) => For(treeId) with { Tasks = TasksPathOf(treeId) };

    /// <summary>The API path of a tree.</summary>
    public static string PathOf(string treeId) => $"{RoutePrefix}/trees/{Uri.EscapeDataString(treeId)}";

    /// <summary>The API path of a tree's pages of tasks.</summary>
    public static string TasksPathOf(string treeId) => PathOf(treeId) + "/tasks";
}
