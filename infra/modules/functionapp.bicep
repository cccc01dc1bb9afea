// The Flex Consumption plan and the function app (dotnet-isolated 10.0). No connection strings:
// AzureWebJobsStorage__* name the services and the identity; secrets are Key Vault references.
// Flex takes the runtime from functionAppConfig.runtime, so FUNCTIONS_WORKER_RUNTIME is not set
// (functions-app-settings#flex-consumption-plan-deprecations).
param name string
param location string
param planName string
param identityId string
param identityClientId string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerUrl string
param appInsightsConnectionString string
param vaultUri string
param taskHubName string
param sessionRuntime string
param currentKeyId string
param masterKeyIds array
param lookupKeyId string
param extraAppSettings object
param channelProviders object
param publicBaseUrl string
param maximumInstanceCount int
param instanceMemoryMB int

@description('The VNet subnet the app integrates with (private networking); empty for none.')
param appSubnetId string = ''

func secret(vaultUri string, secretName string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName}/)'

var providers = map(items(channelProviders), item => item.value)

var baseSettings = [
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'AzureWebJobsStorage__blobServiceUri', value: storageBlobEndpoint }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: storageQueueEndpoint }
  { name: 'AzureWebJobsStorage__tableServiceUri', value: storageTableEndpoint }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  { name: 'TASKHUB_NAME', value: taskHubName }
  { name: 'Otp__SessionRuntime', value: sessionRuntime }
  { name: 'Otp__CurrentKeyId', value: currentKeyId }
  { name: 'Otp__LookupKeyId', value: lookupKeyId }
  { name: 'Otp__GenericReceiptSecret', value: secret(vaultUri, 'otp-generic-receipt-secret') }
  { name: 'Otp__PublicBaseUrl', value: empty(publicBaseUrl) ? 'https://${name}.azurewebsites.net/' : publicBaseUrl }
]

// Every key still in use stays readable across a rotation: the listed ones, the current and the lookup key.
var keySettings = [for id in union(masterKeyIds, [currentKeyId, lookupKeyId]): { name: 'Otp__Keys__${id}', value: secret(vaultUri, 'otp-key-${id}') }]

var channelSettings = [for item in items(channelProviders): { name: 'Otp__Channels__${item.key}', value: item.value }]

var extraSettings = [for item in items(extraAppSettings): { name: item.key, value: item.value }]

// Each session runtime's own functions (a deployment test keeps these lists equal to the built
// app's): the other runtime's are switched off, so the host polls neither a task hub nor a timer
// queue nobody uses. The app refuses to start when these settings contradict Otp__SessionRuntime.
var durableFunctions = [
  'OtpSessionEntity'
  'PublishEffects'
  'PublishSessionEffects'
]
var timerQueueFunctions = [
  'FireTimer'
]
var runtimeSettings = map(sessionRuntime == 'Tables' ? durableFunctions : timerQueueFunctions, function => { name: 'AzureWebJobs.${function}.Disabled', value: 'true' })

var twilioSettings = contains(providers, 'twilio') ? [
  { name: 'Otp__Providers__Twilio__AccountSid', value: secret(vaultUri, 'twilio-account-sid') }
  { name: 'Otp__Providers__Twilio__AuthToken', value: secret(vaultUri, 'twilio-auth-token') }
  { name: 'Otp__Providers__Twilio__From', value: secret(vaultUri, 'twilio-from') }
  { name: 'Otp__Providers__Twilio__StatusCallback', value: '${empty(publicBaseUrl) ? 'https://${name}.azurewebsites.net/' : publicBaseUrl}api/v1/receipts/twilio' }
] : []

var vonageSettings = contains(providers, 'vonage') ? [
  { name: 'Otp__Providers__Vonage__ApiKey', value: secret(vaultUri, 'vonage-api-key') }
  { name: 'Otp__Providers__Vonage__ApiSecret', value: secret(vaultUri, 'vonage-api-secret') }
  { name: 'Otp__Providers__Vonage__SignatureSecret', value: secret(vaultUri, 'vonage-signature-secret') }
] : []

var acsSettings = contains(providers, 'acs') ? [
  { name: 'Otp__Providers__Acs__ConnectionString', value: secret(vaultUri, 'acs-connection-string') }
  { name: 'Otp__Providers__Acs__EventGridCode', value: secret(vaultUri, 'acs-event-grid-code') }
] : []

var bulkgateSettings = contains(providers, 'bulkgate') ? [
  { name: 'Otp__Providers__BulkGate__ApplicationId', value: secret(vaultUri, 'bulkgate-application-id') }
  { name: 'Otp__Providers__BulkGate__ApplicationToken', value: secret(vaultUri, 'bulkgate-application-token') }
  { name: 'Otp__Providers__BulkGate__DeliveryCode', value: secret(vaultUri, 'bulkgate-delivery-code') }
] : []

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
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
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(baseSettings, keySettings, runtimeSettings, channelSettings, twilioSettings, vonageSettings, acsSettings, bulkgateSettings, extraSettings)
    }
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
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// No FTP and no basic-auth publishing: deployments authenticate with Entra ID.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output defaultHostName string = app.properties.defaultHostName
