using System.Globalization;

namespace DurableFlow.Application;

/// <summary>Where a page of task records starts: a shard and a position in it (trees of the single-entity
/// layout have one "shard"). Written as <c>s{shard}.{offset}</c>; callers treat it as opaque.</summary>
public readonly record struct TaskPageToken(int Shard, int Offset)
{
    public static TaskPageToken First => new(0, 0);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"s{Shard}.{Offset}");

    /// <summary>Parses a token this API returned; false for anything else.</summary>
    public static bool TryParse(string? text, out TaskPageToken token)
    {
        token = First;
        if (string.IsNullOrEmpty(text) || text.Length > 24 || text[0] != 's')
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 2
            || !int.TryParse(text.AsSpan(1, dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
            || !int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return false;
        }

        token = new TaskPageToken(shard, offset);
        return true;
    }
}
