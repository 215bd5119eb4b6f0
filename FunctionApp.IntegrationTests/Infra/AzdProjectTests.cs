using System.Text.Json.Nodes;

namespace DurableFlow.Tests.Infra;

/// <summary>Checks the azd project file, the parameters file and the README's deployment commands.</summary>
public sealed class AzdProjectTests(CompiledTemplateFixture fixture) : IClassFixture<CompiledTemplateFixture>
{
    [Fact]
    public void Azure_yaml_names_the_project_and_the_api_function_service()
    {
        var path = RepoPaths.Of("azure.yaml");
        Assert.True(File.Exists(path), "azure.yaml is missing at the repository root");
        var yaml = SimpleYaml.Parse(File.ReadAllText(path));

        Assert.Equal("durableflow", yaml.GetValueOrDefault("name"));
        Assert.Equal("infra", yaml.GetValueOrDefault("infra.path"));
        Assert.Equal("./FunctionApp", yaml.GetValueOrDefault("services.api.project"));
        Assert.Equal("dotnet", yaml.GetValueOrDefault("services.api.language"));
        Assert.Equal("function", yaml.GetValueOrDefault("services.api.host"));
        Assert.True(File.Exists(RepoPaths.Of("FunctionApp/FunctionApp.csproj")), "the api service's project folder has no project");
    }

    [Fact]
    public void Parameters_file_feeds_the_template_from_the_azd_environment()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("infra/main.parameters.json")))?["parameters"]?.AsObject()
            ?? throw new InvalidOperationException("infra/main.parameters.json has no parameters");
        Assert.Equal("${AZURE_ENV_NAME}", (string?)parameters["environmentName"]?["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)parameters["location"]?["value"]);

        var declared = fixture.Template["parameters"]?.AsObject() ?? [];
        foreach (var (name, _) in parameters)
        {
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare");
        }

        foreach (var (name, definition) in declared)
        {
            var required = definition?["defaultValue"] is null;
            Assert.False(required && !parameters.ContainsKey(name), $"required parameter {name} is not in main.parameters.json");
        }
    }

    [Fact]
    public void Readme_deploy_section_matches_the_template_scope()
    {
        var readme = File.ReadAllText(RepoPaths.Of("README.md"));
        var start = readme.IndexOf("## Deploy to Azure", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no '## Deploy to Azure' section");
        var next = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = next < 0 ? readme[start..] : readme[start..next];

        Assert.Contains("azd up", section, StringComparison.Ordinal);
        Assert.Contains("az group create", section, StringComparison.Ordinal);
        Assert.Contains("az deployment group create", section, StringComparison.Ordinal);
        Assert.Contains("--template-file infra/main.bicep", section, StringComparison.Ordinal);
        Assert.Contains("func azure functionapp publish", section, StringComparison.Ordinal);
        Assert.Contains("x-functions-key", section, StringComparison.Ordinal);
        Assert.DoesNotContain("az deployment sub create", section, StringComparison.Ordinal);
    }
}

/// <summary>
/// Reads the block-mapping subset of YAML that azure.yaml uses (<c>key: value</c> lines nested by
/// indentation, comments) into dotted paths such as <c>services.api.project</c>. No sequences or flow styles.
/// </summary>
public static class SimpleYaml
{
    /// <summary>Parses <paramref name="text"/> into a map from dotted key path to scalar value.</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = new List<(int Indent, string Key)>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = StripComment(rawLine).TrimEnd();
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new FormatException($"Unsupported YAML line: {rawLine}");
            }

            var key = line[indent..colon].Trim();
            var value = line[(colon + 1)..].Trim().Trim('"', '\'');
            path.RemoveAll(entry => entry.Indent >= indent);
            path.Add((indent, key));
            if (value.Length > 0)
            {
                values[string.Join('.', path.Select(entry => entry.Key))] = value;
            }
        }

        return values;
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 && (hash == 0 || char.IsWhiteSpace(line[hash - 1])) ? line[..hash] : line;
    }
}
