using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

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
