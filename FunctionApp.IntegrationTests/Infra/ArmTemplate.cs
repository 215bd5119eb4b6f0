using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DurableFlow.Tests.Infra;

/// <summary>A resource of a compiled ARM template, with the (possibly nested) template that declares it.</summary>
/// <param name="Resource">The resource object.</param>
/// <param name="Template">The template whose resources hold it: the main template or a module's inline template.</param>
public sealed record ArmResource(JsonObject Resource, JsonObject Template)
{
    /// <summary>The resource type, e.g. Microsoft.Web/sites.</summary>
    public string Type => (string?)Resource["type"] ?? "";

    /// <summary>The resource's properties object (empty when it has none).</summary>
    public JsonObject Properties => Resource["properties"] as JsonObject ?? [];

    /// <summary>
    /// An ARM expression or literal with every <c>variables('name')</c> of a string variable of the declaring
    /// template replaced by the quoted literal, so constants such as role definition ids can be asserted.
    /// </summary>
    public string Resolve(string value) => ArmTemplate.ResolveVariables(value, Template);
}

/// <summary>Walks a compiled ARM template, including the inline templates of Bicep modules.</summary>
public static partial class ArmTemplate
{
    /// <summary>All resources of the template and of its nested deployments, recursively.</summary>
    public static IEnumerable<ArmResource> AllResources(JsonObject template)
    {
        foreach (var resource in ResourcesOf(template))
        {
            yield return new ArmResource(resource, template);
            if (string.Equals((string?)resource["type"], "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
                && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in AllResources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>All resources of the given type (case-insensitive), at any depth.</summary>
    public static IReadOnlyList<ArmResource> OfType(JsonObject template, string type) =>
        [.. AllResources(template).Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Replaces <c>variables('x')</c> of string variables of <paramref name="template"/> by <c>'value'</c>.</summary>
    public static string ResolveVariables(string value, JsonObject template) =>
        VariableReference().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            return template["variables"]?[name] is JsonValue literal && literal.TryGetValue<string>(out var text)
                ? $"'{text}'"
                : match.Value;
        });

    private static IEnumerable<JsonObject> ResourcesOf(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        // languageVersion 2.0 templates key resources by symbolic name.
        JsonObject byName => byName.Select(pair => pair.Value).OfType<JsonObject>(),
        _ => [],
    };

    [GeneratedRegex(@"variables\('(?<name>[^']+)'\)")]
    private static partial Regex VariableReference();
}
