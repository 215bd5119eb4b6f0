using System.Text.Json.Nodes;

namespace DurableFlow.Tests.Infra;

/// <summary>
/// Builds and lints infra/main.bicep with the Bicep CLI and checks the compiled ARM template for the
/// security and hosting properties the deployment promises.
/// </summary>
public sealed class BicepTemplateTests(CompiledTemplateFixture fixture) : IClassFixture<CompiledTemplateFixture>
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private JsonObject Template => fixture.Template;

    [Fact]
    public void Bicep_build_succeeds_without_diagnostics()
    {
        Assert.True(fixture.Build.ExitCode == 0, $"bicep build exited {fixture.Build.ExitCode}:\n{fixture.Build.AllOutput}");
        Assert.Empty(DiagnosticLines(fixture.Build.StandardError));
        Assert.NotNull(fixture.Template["resources"]);
    }

    [Fact]
    public void Bicep_lint_reports_no_warnings_or_errors()
    {
        Assert.True(fixture.Lint.ExitCode == 0, $"bicep lint exited {fixture.Lint.ExitCode}:\n{fixture.Lint.AllOutput}");
        Assert.Empty(DiagnosticLines(fixture.Lint.AllOutput));
    }

    [Fact]
    public void Template_is_resource_group_scoped()
    {
        // The README deploys with `az deployment group create`, which needs a resource-group-scope template.
        var schema = (string?)Template["$schema"] ?? "";
        Assert.EndsWith("/deploymentTemplate.json#", schema, StringComparison.Ordinal);
    }

    [Fact]
    public void Bicep_sources_use_no_registry_modules_and_no_listKeys()
    {
        var sources = Directory.GetFiles(RepoPaths.Of("infra"), "*.bicep", SearchOption.AllDirectories);
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var text = File.ReadAllText(source);
            Assert.DoesNotContain("'br/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'br:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Compiled_template_holds_no_keys()
    {
        var json = Template.ToJsonString();
        Assert.DoesNotContain("listKeys", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("InstrumentationKey", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void No_app_setting_is_a_key_based_connection_string()
    {
        var settings = AppSettings();
        Assert.NotEmpty(settings);
        foreach (var (name, value) in settings)
        {
            Assert.False(value.Contains("AccountKey", StringComparison.OrdinalIgnoreCase), $"{name} holds an account key");
            Assert.False(value.Contains("DefaultEndpointsProtocol", StringComparison.OrdinalIgnoreCase), $"{name} is a storage connection string");
            Assert.False(value.Contains("SharedAccessSignature", StringComparison.OrdinalIgnoreCase), $"{name} holds a SAS");
        }

        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
    }

    [Fact]
    public void Host_storage_uses_the_managed_identity()
    {
        var site = Single("Microsoft.Web/sites");
        var settings = AppSettings();
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var value = settings[$"AzureWebJobsStorage__{service}ServiceUri"];
            Assert.False(string.IsNullOrWhiteSpace(value), $"{service} service URI is empty");
        }

        // The module parameters behind those settings are the storage account's endpoints.
        var functionAppModule = Module("functionApp");
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var argument = (string?)functionAppModule["properties"]?["parameters"]?[$"{service}Endpoint"]?["value"] ?? "";
            Assert.Contains($"outputs.{service}Endpoint", argument, StringComparison.Ordinal);
        }

        // The identity that the settings name is the one the app runs as.
        var identity = site.Resource["identity"];
        Assert.Equal("UserAssigned", (string?)identity?["type"]);
        Assert.Single(identity?["userAssignedIdentities"]?.AsObject() ?? []);
    }

    [Fact]
    public void Application_Insights_ingestion_uses_Entra_ID()
    {
        var settings = AppSettings();
        var authentication = settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
        Assert.Contains("ClientId=", authentication, StringComparison.Ordinal);
        Assert.Contains("Authorization=AAD", authentication, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]));

        var component = Single("Microsoft.Insights/components");
        Assert.True((bool?)component.Properties["DisableLocalAuth"]);
        Assert.False(string.IsNullOrEmpty((string?)component.Properties["WorkspaceResourceId"]));
        Assert.Single(ArmTemplate.OfType(Template, "Microsoft.OperationalInsights/workspaces"));

        var publisher = RoleAssignment(MonitoringMetricsPublisher);
        Assert.Contains("Microsoft.Insights/components", (string?)publisher.Resource["scope"] ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Identity_has_blob_queue_and_table_data_roles_on_the_storage_account()
    {
        foreach (var role in new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor })
        {
            var assignment = RoleAssignment(role);
            Assert.Contains("Microsoft.Storage/storageAccounts", (string?)assignment.Resource["scope"] ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.Equal("ServicePrincipal", (string?)assignment.Properties["principalType"]);
            Assert.Equal("[parameters('principalId')]", (string?)assignment.Properties["principalId"]);
        }
    }

    [Fact]
    public void Storage_account_is_locked_down()
    {
        var storage = Single("Microsoft.Storage/storageAccounts");
        Assert.Equal("TLS1_2", (string?)storage.Properties["minimumTlsVersion"]);
        Assert.True((bool?)storage.Properties["supportsHttpsTrafficOnly"]);
        Assert.False((bool?)storage.Properties["allowSharedKeyAccess"]);
        Assert.False((bool?)storage.Properties["allowBlobPublicAccess"]);

        var container = Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", (string?)container.Properties["publicAccess"]);
    }

    [Fact]
    public void Function_app_is_https_only_with_TLS_1_2_and_no_FTP()
    {
        var site = Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", (string?)site.Resource["kind"]);
        Assert.True((bool?)site.Properties["httpsOnly"]);
        Assert.Equal("1.2", (string?)site.Properties["siteConfig"]?["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)site.Properties["siteConfig"]?["ftpsState"]);
    }

    [Fact]
    public void Plan_is_Flex_Consumption_on_Linux()
    {
        var plan = Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan.Resource["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan.Resource["sku"]?["tier"]);
        Assert.True((bool?)plan.Properties["reserved"]);
    }

    [Fact]
    public void Runtime_is_dotnet_isolated_10_configured_in_functionAppConfig_not_app_settings()
    {
        var config = Single("Microsoft.Web/sites").Properties["functionAppConfig"];
        Assert.Equal("dotnet-isolated", (string?)config?["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config?["runtime"]?["version"]);

        var scale = config?["scaleAndConcurrency"];
        Assert.Equal("[parameters('instanceMemoryMB')]", (string?)scale?["instanceMemoryMB"]);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)scale?["maximumInstanceCount"]);

        // Flex Consumption rejects or ignores these; the runtime lives in functionAppConfig.
        var settings = AppSettings();
        foreach (var forbidden in new[]
        {
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
            "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "SCM_DO_BUILD_DURING_DEPLOYMENT",
        })
        {
            Assert.DoesNotContain(forbidden, settings.Keys);
        }
    }

    [Fact]
    public void Deployment_package_container_is_reached_with_the_user_assigned_identity()
    {
        var storage = Single("Microsoft.Web/sites").Properties["functionAppConfig"]?["deployment"]?["storage"];
        Assert.Equal("blobContainer", (string?)storage?["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage?["authentication"]?["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)storage?["authentication"]?["userAssignedIdentityResourceId"]);
        Assert.Contains("deploymentContainerUrl", (string?)storage?["value"] ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void App_settings_are_production_safe()
    {
        var settings = AppSettings();
        Assert.Equal("false", settings["CommandExecutor__Enabled"]);
        Assert.Equal("", settings["CommandExecutor__AllowedCommands"]);
        Assert.Equal("false", settings["RestExecutor__AllowPrivateNetworks"]);
        Assert.Equal("[parameters('taskHubName')]", settings["DurableFlowTaskHub"]);
    }

    [Fact]
    public void Resources_carry_azd_tags()
    {
        Assert.Equal("[parameters('environmentName')]", (string?)Template["variables"]?["tags"]?["azd-env-name"]);
        var tagged = new[]
        {
            "Microsoft.ManagedIdentity/userAssignedIdentities", "Microsoft.Storage/storageAccounts",
            "Microsoft.OperationalInsights/workspaces", "Microsoft.Insights/components",
            "Microsoft.Web/serverfarms", "Microsoft.Web/sites",
        };
        foreach (var type in tagged)
        {
            Assert.NotNull(Single(type).Resource["tags"]);
        }

        // The function app is tagged with the azd service name that azure.yaml declares.
        var siteTags = (string?)Single("Microsoft.Web/sites").Resource["tags"] ?? "";
        Assert.Contains("'azd-service-name', parameters('serviceName')", siteTags, StringComparison.Ordinal);
        var serviceNameArgument = (string?)Module("functionApp")["properties"]?["parameters"]?["serviceName"]?["value"] ?? "";
        Assert.Equal("['api']", ArmTemplate.ResolveVariables(serviceNameArgument, Template));
    }

    [Fact]
    public void Outputs_name_the_app_its_host_storage_and_App_Insights()
    {
        var outputs = Template["outputs"]?.AsObject() ?? [];
        foreach (var name in new[]
        {
            "AZURE_LOCATION", "AZURE_FUNCTION_APP_NAME", "SERVICE_API_NAME", "FUNCTION_APP_DEFAULT_HOST_NAME",
            "AZURE_STORAGE_ACCOUNT_NAME", "APPLICATIONINSIGHTS_NAME",
        })
        {
            Assert.True(outputs.ContainsKey(name), $"missing output {name}");
        }

        Assert.Contains("defaultHostName", (string?)outputs["FUNCTION_APP_DEFAULT_HOST_NAME"]?["value"] ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void App_Service_Authentication_with_Entra_ID_is_on_exactly_when_an_app_registration_is_given()
    {
        var parameters = Template["parameters"]?.AsObject() ?? [];
        Assert.Equal("", (string?)parameters["authClientId"]?["defaultValue"]);
        Assert.Equal("[parameters('authClientId')]", (string?)Module("functionApp")["properties"]?["parameters"]?["authClientId"]?["value"]);
        Assert.Equal("[parameters('authTenantId')]", (string?)Module("functionApp")["properties"]?["parameters"]?["authTenantId"]?["value"]);

        var auth = Single("Microsoft.Web/sites/config");
        Assert.EndsWith("'authsettingsV2')]", (string?)auth.Resource["name"], StringComparison.Ordinal);
        Assert.Equal("[not(empty(parameters('authClientId')))]", (string?)auth.Resource["condition"]);
        Assert.True((bool?)auth.Properties["platform"]?["enabled"]);

        var validation = auth.Properties["globalValidation"];
        Assert.True((bool?)validation?["requireAuthentication"]);
        Assert.Equal("Return401", (string?)validation?["unauthenticatedClientAction"]);
        // Only the two anonymous pages skip the token check; every data route keeps it.
        Assert.Equal(["/api/openapi.json", "/api/dashboard"], (validation?["excludedPaths"] as JsonArray ?? []).Select(p => (string?)p));

        var entra = auth.Properties["identityProviders"]?["azureActiveDirectory"];
        Assert.True((bool?)entra?["enabled"]);
        Assert.Equal("[parameters('authClientId')]", (string?)entra?["registration"]?["clientId"]);
        Assert.Contains("parameters('authTenantId')", (string?)entra?["registration"]?["openIdIssuer"] ?? "", StringComparison.Ordinal);
        Assert.Contains("[format('api://{0}', parameters('authClientId'))]", (entra?["validation"]?["allowedAudiences"] as JsonArray ?? []).Select(a => (string?)a));

        // Token validation only: no client secret anywhere (nothing to leak, nothing to rotate).
        Assert.Null(entra?["registration"]?["clientSecretSettingName"]);
        Assert.DoesNotContain("MICROSOFT_PROVIDER_AUTHENTICATION_SECRET", AppSettings().Keys);
    }

    private static List<string> DiagnosticLines(string output) =>
        [.. output.Split('\n').Where(line =>
            line.Contains(": Warning ", StringComparison.Ordinal) || line.Contains(": Error ", StringComparison.Ordinal))];

    private ArmResource Single(string type)
    {
        var matches = ArmTemplate.OfType(Template, type);
        Assert.True(matches.Count == 1, $"expected exactly one {type}, found {matches.Count}");
        return matches[0];
    }

    private JsonObject Module(string name) =>
        ArmTemplate.OfType(Template, "Microsoft.Resources/deployments")
            .Single(d => string.Equals((string?)d.Resource["name"], name, StringComparison.Ordinal)).Resource;

    private ArmResource RoleAssignment(string roleDefinitionGuid)
    {
        var matches = ArmTemplate.OfType(Template, "Microsoft.Authorization/roleAssignments")
            .Where(a => a.Resolve((string?)a.Properties["roleDefinitionId"] ?? "")
                .Contains(roleDefinitionGuid, StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(matches.Count == 1, $"expected one role assignment for {roleDefinitionGuid}, found {matches.Count}");
        return matches[0];
    }

    private Dictionary<string, string> AppSettings()
    {
        var list = Single("Microsoft.Web/sites").Properties["siteConfig"]?["appSettings"] as JsonArray ?? [];
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in list.OfType<JsonObject>())
        {
            settings.Add((string?)setting["name"] ?? "", (string?)setting["value"] ?? "");
        }

        return settings;
    }
}
