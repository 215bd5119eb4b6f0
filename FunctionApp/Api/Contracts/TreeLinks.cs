namespace DurableFlow.Api;

/// <summary>Links of a tree.</summary>
public sealed record TreeLinks(string Self, string Cancel)
{
    /// <summary>Route prefix of every API path.</summary>
    public const string RoutePrefix = "/api";

    public static TreeLinks For(string treeId) => new(PathOf(treeId), PathOf(treeId) + "/cancel");

    /// <summary>The API path of a tree.</summary>
    public static string PathOf(string treeId) => $"{RoutePrefix}/trees/{Uri.EscapeDataString(treeId)}";
}
