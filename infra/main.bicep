// OtpFunctions on Azure: a Flex Consumption function app (.NET 10 isolated) running on a
// user-assigned managed identity, with storage that refuses shared keys, Application Insights
// without local auth, and a Key Vault (RBAC) holding the master keys and provider secrets.
// Shapes follow Azure-Samples/azure-functions-flex-consumption-samples (IaC/bicep) and
// functions-quickstart-dotnet-azd (infra/app/api.bicep, rbac.bicep); see infra/README.md.
targetScope = 'resourceGroup'

@description('Name of the function app (globally unique host name).')
param appName string

@description('Region for every resource.')
param location string = resourceGroup().location

@description('Durable Functions task hub name.')
param taskHubName string = 'otp'

@description('Which session runtime the app uses: Tables (one conditional write per change; faster and cheaper, see README "Choosing a session runtime") or DurableEntity (a Durable entity per session).')
@allowed([
  'DurableEntity'
  'Tables'
])
param sessionRuntime string = 'Tables'

@description('Id of the master key new sessions use; its secret is Key Vault secret "otp-key-<id>".')
param currentKeyId string = 'k1'

@description('Ids of every master key the app must still read (Key Vault secrets "otp-key-<id>"): the current one, and each older one until the sessions issued under it have ended. A rotation adds the new id here; the current and lookup keys are always included.')
param masterKeyIds array = [
  'k1'
]

@description('Id of the master key that keys recipient hashes (limits and verify by phone). Pinned: changing it forgets every recipient\'s budgets and latest session, so it stays when the current key rotates.')
param lookupKeyId string = 'k1'

@description('App settings this template does not set, name → value (e.g. Otp__Applications__0__Id). A deployment replaces every app setting, so whatever is not here or in the template is removed; applications and API keys kept in the registry with otpctl are not settings and are never touched.')
param extraAppSettings object = {}

@description('Channel → provider, e.g. { sms: "twilio", email: "acs" }. Unlisted channels use pickup, which has no place in production: list them all.')
param channelProviders object = {}

@description('Public base URL that providers call back (receipts); empty for the app\'s own host name.')
param publicBaseUrl string = ''

@description('Object id of a developer to grant the same data roles (optional).')
param developerPrincipalId string = ''

@description('Storage and Key Vault reachable only through private endpoints in a VNet the app integrates with.')
param privateNetworking bool = true

@description('With private networking: operator IP ranges (CIDR) still allowed to reach storage and Key Vault, e.g. to set secrets.')
param operatorIpRanges array = []

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

var token = toLower(uniqueString(subscription().id, resourceGroup().id, appName))
var identityName = 'id-${token}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: identityName
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${token}'
    location: location
    principalId: identity.outputs.principalId
    principalName: identityName
    developerPrincipalId: developerPrincipalId
    deploymentContainerName: 'app-package-${take(appName, 32)}-${take(token, 7)}'
    privateNetworking: privateNetworking
    operatorIpRanges: operatorIpRanges
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: token
    location: location
    principalId: identity.outputs.principalId
    principalName: identityName
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-${take(token, 20)}'
    location: location
    principalId: identity.outputs.principalId
    principalName: identityName
    privateNetworking: privateNetworking
    operatorIpRanges: operatorIpRanges
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: appName
    location: location
    planName: 'plan-${token}'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    vaultUri: vault.outputs.uri
    taskHubName: taskHubName
    sessionRuntime: sessionRuntime
    currentKeyId: currentKeyId
    masterKeyIds: masterKeyIds
    lookupKeyId: lookupKeyId
    extraAppSettings: extraAppSettings
    channelProviders: channelProviders
    publicBaseUrl: publicBaseUrl
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    name: token
    location: location
    storageAccountId: storage.outputs.id
    vaultId: vault.outputs.id
  }
}

@description('The API base URL, e.g. https://<app>.azurewebsites.net/api/v1/otp')
output apiUrl string = 'https://${app.outputs.defaultHostName}/api/v1/otp'
output appUrl string = 'https://${app.outputs.defaultHostName}'
output keyVaultName string = vault.outputs.name
output storageAccountName string = storage.outputs.name
