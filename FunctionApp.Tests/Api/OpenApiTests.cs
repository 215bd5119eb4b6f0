using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using DurableFlow.Api;
using DurableFlow.Storage;
using DurableFlow.Graph;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;

namespace DurableFlow.Tests.Api;

/// <summary>The served OpenAPI document parses cleanly and matches the app's HTTP functions exactly.</summary>
public sealed partial class OpenApiTests
{
    private static readonly Lazy<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic)> Parsed = new(() =>
    {
        var document = new OpenApiStringReader().Read(ApiAssets.Text(ApiAssets.OpenApiJson), out var diagnostic);
        return (document, diagnostic);
    });

    private static OpenApiDocument Document => Parsed.Value.Document;

    /// <summary>Every HTTP function of the app: (METHOD, /api/route with parameter names blanked), and its level.</summary>
    private static List<(string Operation, AuthorizationLevel Level)> HttpFunctions() =>
        [.. from type in typeof(TreeApi).Assembly.GetTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            where method.GetCustomAttribute<FunctionAttribute>() is not null
            from parameter in method.GetParameters()
            let trigger = parameter.GetCustomAttribute<HttpTriggerAttribute>()
            where trigger is not null
            from verb in trigger.Methods ?? []
            select (Key(verb, "/api/" + (trigger.Route ?? method.GetCustomAttribute<FunctionAttribute>()!.Name)), trigger.AuthLevel)];

    /// <summary>The documented operations; anonymous when the operation overrides the global security
    /// with <c>"security": []</c> (read from the JSON: the parsed model cannot tell that from no override).</summary>
    private static List<(string Operation, bool Anonymous)> DocumentedOperations()
    {
        using var json = JsonDocument.Parse(ApiAssets.OpenApiJson);
        var raw = json.RootElement.GetProperty("paths");
        return [.. from path in Document.Paths
            from operation in path.Value.Operations
            let element = raw.GetProperty(path.Key).GetProperty(operation.Key.ToString().ToLowerInvariant())
            select (Key(operation.Key.ToString(), path.Key),
                element.TryGetProperty("security", out var security) && security.GetArrayLength() == 0)];
    }

    private static string Key(string verb, string path) => verb.ToUpperInvariant() + " " + RouteParameter().Replace(path, "{}");

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public void The_document_is_OpenAPI_3_without_errors_or_warnings()
    {
        var diagnostic = Parsed.Value.Diagnostic;
        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Empty(diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_0, diagnostic.SpecificationVersion);
        Assert.NotEmpty(Document.Paths);
    }

    [Fact]
    public void Every_HTTP_function_is_documented_and_every_documented_route_is_a_function()
    {
        var functions = HttpFunctions().Select(f => f.Operation).Order(StringComparer.Ordinal).ToList();
        var documented = DocumentedOperations().Select(o => o.Operation).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(functions, documented);
        Assert.Contains("GET /api/openapi.json", functions);
        Assert.Contains("GET /api/dashboard", functions);
        Assert.Contains("GET /api/trees/{}/tasks/{}", functions);
    }

    [Fact]
    public void Anonymous_functions_and_only_they_are_documented_without_security()
    {
        var anonymous = HttpFunctions().Where(f => f.Level == AuthorizationLevel.Anonymous).Select(f => f.Operation).Order(StringComparer.Ordinal);
        var open = DocumentedOperations().Where(o => o.Anonymous).Select(o => o.Operation).Order(StringComparer.Ordinal);

        Assert.Equal(["GET /api/dashboard", "GET /api/openapi.json"], anonymous);
        Assert.Equal(anonymous, open);
        var schemes = Document.Components.SecuritySchemes;
        Assert.Equal((ParameterLocation.Header, "x-functions-key"), (schemes["functionKeyHeader"].In, schemes["functionKeyHeader"].Name));
        Assert.Equal((ParameterLocation.Query, "code"), (schemes["functionKeyQuery"].In, schemes["functionKeyQuery"].Name));
        Assert.Equal(2, Document.SecurityRequirements.Count);
    }

    [Fact]
    public void The_error_code_enum_lists_every_error_code_constant_and_nothing_else()
    {
        var constants = new[] { typeof(ValidationCodes), typeof(ApiErrorCodes) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToList();
        var documented = Document.Components.Schemas["ErrorCode"].Enum
            .Select(e => ((OpenApiString)e).Value)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Contains("validation_failed", constants);
        Assert.Equal(27, constants.Count);
        Assert.Equal(constants, documented);
    }

    [Fact]
    public void The_error_body_and_the_submission_contract_are_described()
    {
        var error = Document.Components.Schemas["Error"].Properties["error"];
        Assert.Equal(["code", "details", "message"], error.Required.Order(StringComparer.Ordinal));
        Assert.Equal("ErrorCode", error.Properties["code"].Reference.Id);

        var submission = Document.Paths["/api/trees"].Operations[OperationType.Post].RequestBody.Content["application/json"].Schema;
        Assert.Equal(["max_parallelism", "tasks", "tree_id", "use_demo", "user_id"], submission.Properties.Keys.Order(StringComparer.Ordinal));
        Assert.False(submission.AdditionalPropertiesAllowed);
        var task = submission.Properties["tasks"].Items;
        Assert.Equal(["dependencies", "id", "inputs", "name", "parent_id", "priority", "retry", "timeout_seconds"], task.Properties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["id", "name"], task.Required.Order(StringComparer.Ordinal));
        var retry = task.Properties["retry"].AllOf.Single();
        Assert.Equal(["backoff_coefficient", "first_retry_interval_seconds", "max_attempts", "max_retry_interval_seconds"], retry.Properties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TreeValidator.MaxRetryAttempts, retry.Properties["max_attempts"].Maximum);
        Assert.Equal((decimal)TreeValidator.MaxSeconds, task.Properties["timeout_seconds"].Maximum);
        Assert.Equal(ITreeIndex.MaxListLimit, Document.Paths["/api/trees"].Operations[OperationType.Get].Parameters.Single(p => p.Name == "limit").Schema.Maximum);
    }

    [Fact]
    public async Task The_function_serves_the_embedded_document_as_JSON()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await ApiDocsFunctions.OpenApiDocument(context.Request).ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal(ApiAssets.OpenApiJson.ToArray(), ((MemoryStream)context.Response.Body).ToArray());
    }
}
