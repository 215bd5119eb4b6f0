namespace DurableFlow.Bench.RealHost;

/// <summary>A Functions app build (Core Tools' output layout) and the settings its host starts with.</summary>
public sealed record BenchApp(string Name, string Directory, string Settings)
{
    public static BenchApp FromEnvironment(string name, string directoryVariable, string settingsVariable) =>
        new(name,
            Environment.GetEnvironmentVariable(directoryVariable) ?? throw new InvalidOperationException($"{directoryVariable} is not set: start the benchmark with bench/RealHostBench/run.sh"),
            Environment.GetEnvironmentVariable(settingsVariable) ?? throw new InvalidOperationException($"{settingsVariable} is not set"));
}
