using System.Text.Json.Serialization;
using DurableFlow.Graph;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>One tree of a list.</summary>
public sealed record TreeSummary(
    string TreeId,
    string UserId,
    string Status,
    double Progress,
    CountsView Counts,
    int TaskCount,
    string CreatedAt,
    string? CompletedAt,
    int Run,
    TreeLinks Links)
{
    /// <summary>Why the latest run ended by a fault (failed inside its orchestration, or terminated); only
    /// present then.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    public static TreeSummary From(TreeIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.TreeId, entry.UserId, entry.Status.ToWire(), entry.Counts.Progress, CountsView.From(entry.Counts),
            entry.TaskCount, WireTime.Format(entry.CreatedAt.UtcDateTime),
            entry.CompletedAt is { } done ? WireTime.Format(done.UtcDateTime) : null, entry.Run, TreeLinks.For(entry.TreeId))
        {
            Error = entry.Error,
        };
    }
}
