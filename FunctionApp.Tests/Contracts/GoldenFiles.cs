namespace DurableFlow.Tests.Contracts;

/// <summary>The wire-format samples of DurableFlow.Core.Tests/Contracts/Golden, copied next to the tests.</summary>
internal static class GoldenFiles
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Contracts", "Golden", name)).TrimEnd('\n');
}
