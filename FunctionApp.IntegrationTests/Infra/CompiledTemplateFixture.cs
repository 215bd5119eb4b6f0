using System.Text.Json.Nodes;

namespace DurableFlow.Tests.Infra;

/// <summary>
/// Compiles infra/main.bicep to ARM JSON and lints it, once for the test class that uses this fixture.
/// </summary>
public sealed class CompiledTemplateFixture : IAsyncLifetime
{
    /// <summary>The Bicep entry point, relative to the repository root.</summary>
    public const string MainBicep = "infra/main.bicep";

    private JsonObject? template;

    /// <summary>Output of <c>bicep build infra/main.bicep --stdout</c>.</summary>
    public BicepCli.Result Build { get; private set; } = new(-1, "", "");

    /// <summary>Output of <c>bicep lint infra/main.bicep</c>.</summary>
    public BicepCli.Result Lint { get; private set; } = new(-1, "", "");

    /// <summary>The compiled ARM template.</summary>
    public JsonObject Template => template
        ?? throw new InvalidOperationException($"bicep build failed ({Build.ExitCode}):\n{Build.AllOutput}");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Build = await BicepCli.RunAsync("build", MainBicep, "--stdout");
        Lint = await BicepCli.RunAsync("lint", MainBicep);
        if (Build.ExitCode == 0)
        {
            template = JsonNode.Parse(Build.StandardOutput) as JsonObject;
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;
}
