namespace DurableFlow.E2E.Support;

/// <summary>The collection of tests that need the host to themselves (they restart it, kill it, or load it with
/// thousands of tasks): xunit runs a collection's tests one at a time, and e2e.sh runs them after the others.</summary>
[CollectionDefinition(Name)]
public sealed class ExclusiveHost
{
    public const string Name = "exclusive host";
}
