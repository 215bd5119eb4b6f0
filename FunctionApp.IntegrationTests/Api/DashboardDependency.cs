namespace DurableFlow.Tests.Api;

/// <summary>A dependency of a <see cref="DashboardTask"/>.</summary>
public sealed record DashboardDependency(string Id, bool Required);
