namespace DurableFlow.Bench;

/// <summary>Entity signals per tree: what the shared entity stand-in reports in this benchmark.</summary>
internal sealed class SignalCounter
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(string treeId)
    {
        lock (_lock)
        {
            _counts[treeId] = _counts.GetValueOrDefault(treeId) + 1;
        }
    }

    public int Of(string treeId)
    {
        lock (_lock)
        {
            return _counts.GetValueOrDefault(treeId);
        }
    }
}
