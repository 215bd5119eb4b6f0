// Flex Consumption plan (FC1) and the DurableFlow function app (.NET 10 isolated worker).
// The app runs as a user-assigned managed identity and reaches storage, the deployment container and
// Application Insights with that identity only: no keys, no connection strings with secrets.

@description('Function app name (globally unique: it becomes <name>.azurewebsites.net).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan; the app additionally gets azd-service-name.')
param tags object

@description('azd service name from azure.yaml; azd finds the app to deploy to by this tag.')
param serviceName string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client (application) id of the user-assigned managed identity.')
param identityClientId string

@description('Blob service endpoint of the storage account, e.g. https://<account>.blob.core.windows.net/.')
param blobEndpoint string

@description('Queue service endpoint of the storage account.')
param queueEndpoint string

@description('Table service endpoint of the storage account.')
param tableEndpoint string

@description('URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Application Insights connection string (an endpoint locator; ingestion needs Entra ID).')
param applicationInsightsConnectionString string

@description('Durable Functions task hub name; host.json reads it as %DurableFlowTaskHub%.')
param taskHubName string

@description('Memory per instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the "durable" scale group (orchestrator/activity/entity triggers). 0 = scale to zero.')
@minValue(0)
param durableAlwaysReadyInstances int

@description('Client (application) id of the Entra ID app registration that callers get tokens for. Empty: App Service Authentication stays off.')
param authClientId string = ''

@description('Entra ID tenant that issues the tokens.')
param authTenantId string = tenant().tenantId

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: durableAlwaysReadyInstances > 0
          ? [
              {
                name: 'durable'
                instanceCount: durableAlwaysReadyInstances
              }
            ]
          : []
      }
      // Flex Consumption takes the runtime from here; FUNCTIONS_WORKER_RUNTIME and
      // FUNCTIONS_EXTENSION_VERSION are not allowed as app settings on this plan.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Host storage (and, through the default connection name, the Durable task hub) over managed identity.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
        // Telemetry: the connection string only locates the ingestion endpoint; the identity authenticates.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // host.json: "hubName": "%DurableFlowTaskHub%".
        { name: 'DurableFlowTaskHub', value: taskHubName }
        // DurableFlow's own settings, production-safe: no shell commands, no REST calls into private networks.
        { name: 'CommandExecutor__Enabled', value: 'false' }
        { name: 'CommandExecutor__AllowedCommands', value: '' }
        { name: 'RestExecutor__AllowPrivateNetworks', value: 'false' }
      ]
    }
  }
}

// App Service Authentication (Easy Auth) with Entra ID, when an app registration is given: every call
// needs a bearer token for it (401 otherwise), and the platform then injects X-MS-CLIENT-PRINCIPAL* headers
// (stripping client-sent copies) and sets WEBSITE_AUTH_ENABLED=True, which is what makes the app trust them.
// Token validation only: no client secret (nothing to leak or rotate), so no interactive browser login.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(authClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      // The two anonymous pages (API description, dashboard shell); the data routes keep the token check.
      excludedPaths: [
        '/api/openapi.json'
        '/api/dashboard'
      ]
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${authClientId}'
            authClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
