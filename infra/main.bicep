// DurableFlow on Azure: a Flex Consumption function app (.NET 10 isolated) with identity-only access to
// its storage account and Application Insights.
//
// Resource-group scope: deploy with `az deployment group create` into an existing resource group, or
// with `azd up` (azd asks for / creates the resource group, or reads AZURE_RESOURCE_GROUP).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Environment name (azd: AZURE_ENV_NAME). Seeds resource names and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Region for all resources; it must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = resourceGroup().location

@description('Memory per Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Maximum number of instances the function app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances for the Durable Functions scale group (recommended: 1; 0 scales fully to zero and bills nothing while idle).')
@minValue(0)
@maxValue(20)
param durableAlwaysReadyInstances int = 1

@description('Durable task hub name (letters and digits, starting with a letter, at most 45 characters). Empty: derived from the environment. Two apps that share a storage account must never share a hub.')
@maxLength(45)
param taskHubName string = ''

@description('Client (application) id of an Entra ID app registration: turns on App Service Authentication, so every API call needs a token for it and the app learns who calls. Empty (default): no authentication in front of the function keys, and the app ignores user-identity headers.')
param authClientId string = ''

@description('Entra ID tenant of that app registration (default: this deployment\'s tenant).')
param authTenantId string = tenant().tenantId

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var serviceName = 'api'
var functionAppName = 'func-${serviceName}-${resourceToken}'
var effectiveTaskHubName = empty(taskHubName) ? 'durableflow${resourceToken}' : taskHubName

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${serviceName}-${resourceToken}'
  location: location
  tags: tags
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${resourceToken}'
    principalId: identity.properties.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.properties.principalId
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'functionApp'
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.id
    identityClientId: identity.properties.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    taskHubName: effectiveTaskHubName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    authClientId: authClientId
    authTenantId: authTenantId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output FUNCTION_APP_DEFAULT_HOST_NAME string = functionApp.outputs.defaultHostName
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output DURABLEFLOW_TASK_HUB string = effectiveTaskHubName
output API_AUTHENTICATION string = empty(authClientId) ? 'function keys only' : 'Entra ID (App Service Authentication)'
