using System.Globalization;
using System.Text;
using DurableFlow.Client;

namespace DurableFlow.Cli.Rendering;

/// <summary>A tree's dependency graph as Mermaid or Graphviz DOT: an edge from each dependency to its dependent, optional ones dashed.</summary>
internal static class GraphRenderer
{
    public const string Mermaid = "mermaid";
    public const string Dot = "dot";

    public static string Render(IReadOnlyList<TaskView> tasks, string format) => format switch
    {
        Mermaid => RenderMermaid(tasks),
        Dot => RenderDot(tasks),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "mermaid or dot"),
    };

    private static string RenderMermaid(IReadOnlyList<TaskView> tasks)
    {
        // Task ids may hold '.', ':' and '-', which Mermaid reads as syntax: nodes get positional names, labels the ids.
        var node = tasks.Select((t, i) => (t.Id, Name: "t" + i.ToString(CultureInfo.InvariantCulture)))
            .GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.First().Name);
        var text = new StringBuilder("flowchart LR\n");
        foreach (var task in tasks)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {node[task.Id]}[\"{MermaidText(task.Id)}<br/>{MermaidText(task.Name)}\"]\n");
        }
        foreach (var task in tasks)
        {
            foreach (var dependency in task.Dependencies.Where(d => node.ContainsKey(d.Id)))
            {
                var arrow = dependency.Required ? "-->" : "-.->";
                text.Append(CultureInfo.InvariantCulture, $"    {node[dependency.Id]} {arrow} {node[task.Id]}\n");
            }
        }
        var withStatus = tasks.Where(t => !string.IsNullOrEmpty(t.Status)).ToList();
        if (withStatus.Count > 0)
        {
            foreach (var status in TaskStatuses.All)
            {
                text.Append(CultureInfo.InvariantCulture, $"    classDef {status} fill:{Fill(status)}\n");
            }
            foreach (var group in withStatus.GroupBy(t => t.Status).Where(g => TaskStatuses.All.Contains(g.Key)))
            {
                text.Append(CultureInfo.InvariantCulture, $"    class {string.Join(',', group.Select(t => node[t.Id]).Distinct())} {group.Key}\n");
            }
        }
        return text.ToString();
    }

    private static string RenderDot(IReadOnlyList<TaskView> tasks)
    {
        var ids = tasks.Select(t => t.Id).ToHashSet();
        var text = new StringBuilder("digraph tree {\n    rankdir=LR;\n    node [shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\"];\n");
        foreach (var task in tasks)
        {
            var fill = string.IsNullOrEmpty(task.Status) ? "" : $", fillcolor=\"{Fill(task.Status)}\"";
            text.Append(CultureInfo.InvariantCulture, $"    {DotId(task.Id)} [label={DotId(task.Id + "\n" + task.Name)}{fill}];\n");
        }
        foreach (var task in tasks)
        {
            foreach (var dependency in task.Dependencies.Where(d => ids.Contains(d.Id)))
            {
                var style = dependency.Required ? "" : " [style=dashed]";
                text.Append(CultureInfo.InvariantCulture, $"    {DotId(dependency.Id)} -> {DotId(task.Id)}{style};\n");
            }
        }
        return text.Append("}\n").ToString();
    }

    private static string Fill(string status) => status switch
    {
        TaskStatuses.Completed => "#c8e6c9",
        TaskStatuses.InProgress => "#bbdefb",
        TaskStatuses.Failed => "#ffcdd2",
        TaskStatuses.Skipped => "#fff9c4",
        TaskStatuses.Cancelled => "#ffe0b2",
        _ => "#eeeeee",
    };

    private static string MermaidText(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);

    private static string DotId(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
