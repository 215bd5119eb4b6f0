namespace DurableFlow.Client;

/// <summary>Tree ids chosen on the client, so that a retried submission names the same tree.</summary>
public static class TreeIds
{
    /// <summary>A new id in the server's own shape: 32 hex digits.</summary>
    public static string New() => Guid.NewGuid().ToString("N");
}
