using System.Text.RegularExpressions;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Tests.Infra;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurableFlow.Tests.LocalDev;

/// <summary>The sample trees in samples/ and the .http file that submits them.</summary>
public sealed partial class SampleTests
{
    private static readonly string[] ExpectedSamples =
    [
        "sequential.json", "pipeline.json", "fan-in.json", "optional-fallback.json", "complex-workflow.json",
        "dependencies-vs-priorities.json", "failure-cascade.json", "demo-parallel.json", "rest-aggregate.json",
    ];

    private static string SamplesDir => RepoPaths.Of("samples");

    public static TheoryData<string> SampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(RepoPaths.Of("samples"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    private static IReadOnlySet<string> RegisteredExecutorNames()
    {
        using var provider = new ServiceCollection()
            .AddTaskExecutors(new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        return provider.GetRequiredService<ExecutorRegistry>().Names;
    }

    private static TaskTree Parse(string fileName)
    {
        var parsed = TreeJson.Parse(File.ReadAllText(Path.Combine(SamplesDir, fileName)));
        Assert.True(parsed.Succeeded, $"{fileName}: {string.Join("; ", parsed.Errors.Select(e => $"{e.Code} {e.Path} {e.Message}"))}");
        return parsed.Tree!;
    }

    [Fact]
    public void Every_expected_sample_is_there()
    {
        var present = Directory.EnumerateFiles(SamplesDir, "*.json").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        Assert.True(present.Count >= 9, $"expected at least 9 samples, found {present.Count}");
        Assert.All(ExpectedSamples, name => Assert.Contains(name, present));
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Sample_parses_and_validates_against_the_registered_executors(string fileName)
    {
        var tree = Parse(fileName);

        var errors = TreeValidator.Validate(tree, new ValidationOptions(RegisteredExecutorNames()));

        Assert.True(errors.Count == 0, $"{fileName}: {string.Join("; ", errors.Select(e => $"{e.Code} {e.Path} {e.Message}"))}");
        // Without a tree_id every submission makes a new tree (a fixed one would be an idempotent repeat).
        Assert.Null(tree.TreeId);
    }

    [Fact]
    public void The_failure_cascade_fails_one_task_with_required_dependents_and_an_optional_fallback()
    {
        var tree = Parse("failure-cascade.json");
        var failing = Assert.Single(tree.Tasks, t => t.Id == "gpu");
        Assert.Equal("gpu", failing.Inputs!.Value.GetProperty("resource").GetString());

        Assert.Contains(tree.Tasks, t => t.Dependencies.Any(d => d.Id == "gpu" && d.Required));
        Assert.Contains(tree.Tasks, t => t.Dependencies.Any(d => d.Id == "gpu" && !d.Required));
        // The skip cascades: something requires a task that itself requires the failing one.
        var direct = tree.Tasks.Where(t => t.Dependencies.Any(d => d.Id == "gpu" && d.Required)).Select(t => t.Id).ToHashSet();
        Assert.Contains(tree.Tasks, t => t.Dependencies.Any(d => direct.Contains(d.Id) && d.Required));
    }

    [Fact]
    public void The_demo_tree_runs_sleeping_tasks_in_parallel_then_aggregates()
    {
        var tree = Parse("demo-parallel.json");

        Assert.True(tree.UseDemo);
        var sleepers = tree.Tasks.Where(t => t.Inputs is { } inputs && inputs.TryGetProperty("_demo_sleep", out _)).ToList();
        Assert.True(sleepers.Count >= 3);
        Assert.All(sleepers, t => Assert.Empty(t.Dependencies));
        var aggregate = Assert.Single(tree.Tasks, t => t.Name == "aggregate_results_executor");
        Assert.Equal(sleepers.Select(t => t.Id).Order(), aggregate.Dependencies.Select(d => d.Id).Order());
    }

    [Fact]
    public void The_rest_tree_calls_the_local_health_and_executors_routes_and_aggregates()
    {
        var tree = Parse("rest-aggregate.json");

        var urls = tree.Tasks.Where(t => t.Name == "rest_executor")
            .Select(t => t.Inputs!.Value.GetProperty("url").GetString())
            .ToList();
        Assert.Contains("http://localhost:7071/api/health", urls);
        Assert.Contains("http://localhost:7071/api/executors", urls);
        Assert.Contains(tree.Tasks, t => t.Name == "aggregate_results_executor" && t.Dependencies.Count == urls.Count);
    }

    [GeneratedRegex(@"^<\s+\./(?<file>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex BodyInclude();

    [GeneratedRegex(@"^#\s*@name\s+(?<name>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex NamedRequest();

    [GeneratedRegex(@"\{\{(?<name>\w+)\.response\.body\.\$\.\w+\}\}")]
    private static partial Regex ResponseReference();

    [Fact]
    public void The_http_file_submits_every_sample_and_references_only_existing_files()
    {
        var http = File.ReadAllText(Path.Combine(SamplesDir, "durableflow.http"));

        var included = BodyInclude().Matches(http).Select(m => m.Groups["file"].Value).ToHashSet(StringComparer.Ordinal);
        var samples = Directory.EnumerateFiles(SamplesDir, "*.json").Select(p => Path.GetFileName(p)!);

        Assert.All(samples, sample => Assert.Contains(sample, included));
        Assert.All(included, file => Assert.True(File.Exists(Path.Combine(SamplesDir, file)), $"durableflow.http includes missing {file}"));
    }

    [Fact]
    public void The_http_file_reads_responses_only_of_requests_named_before()
    {
        var http = File.ReadAllText(Path.Combine(SamplesDir, "durableflow.http"));

        Assert.Contains("@host = http://localhost:7071/api", http, StringComparison.Ordinal);
        var references = ResponseReference().Matches(http).ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            var name = reference.Groups["name"].Value;
            var definition = NamedRequest().Matches(http).FirstOrDefault(m => m.Groups["name"].Value == name);
            Assert.True(definition is not null && definition.Index < reference.Index, $"{reference.Value} has no '# @name {name}' before it");
        }

        // Each route of the API is exercised: submit, get tree, get task, list, cancel, executors, health.
        Assert.Contains("POST {{host}}/trees\n", http, StringComparison.Ordinal);
        Assert.Matches(@"GET \{\{host\}\}/trees/\{\{\w+\.response\.body\.\$\.tree_id\}\}/tasks/\w+", http);
        Assert.Matches(@"POST \{\{host\}\}/trees/\{\{\w+\.response\.body\.\$\.tree_id\}\}/cancel", http);
        Assert.Contains("GET {{host}}/trees?user_id=", http, StringComparison.Ordinal);
        Assert.Contains("GET {{host}}/executors", http, StringComparison.Ordinal);
        Assert.Contains("GET {{host}}/health", http, StringComparison.Ordinal);
    }
}
