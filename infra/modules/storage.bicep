// Storage with shared-key access disabled: the app and the runtime reach it with the managed
// identity only. Declares the service's queues (with their poison twins) and tables, so the
// names the code uses exist before the first request (the code also creates missing ones).
param name string
param location string
param principalId string

@description('A name of the identity known before deployment (the identity resource\'s name): role assignment names derive from it, so What-If can predict them.')
param principalName string
param developerPrincipalId string = ''
param deploymentContainerName string

@description('Private networking: reached only through private endpoints, except from these operator IP ranges (CIDR); none means public network access is disabled.')
param privateNetworking bool
param operatorIpRanges array = []

// Must match OtpFunctions.Core.Messaging.QueueNames and OtpFunctions.Storage.Adapters.StorageLayout (checked by DeploymentConsistencyTests).
var queueNames = [
  'otp-dispatch'
  'otp-timers'
  'otp-receipts'
  'otp-callbacks'
  'otp-dispatch-poison'
  'otp-timers-poison'
  'otp-receipts-poison'
  'otp-callbacks-poison'
]
var tableNames = [
  'otpsessions'
  'otplookups'
  'otplimits'
  'otpidempotency'
  'otpapplications'
  'otpattempts'
  'otpaudit'
]

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking && empty(operatorIpRanges) ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
      ipRules: [for range in operatorIpRanges: {
        value: range
        action: 'Allow'
      }]
    }
  }

  resource blobs 'blobServices' = {
    name: 'default'
    resource deployment 'containers' = {
      name: deploymentContainerName
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'
  }

  resource tableService 'tableServices' = {
    name: 'default'
  }
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [for queue in queueNames: {
  parent: account::queueService
  name: queue
}]

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [for table in tableNames: {
  parent: account::tableService
  name: table
}]

resource appRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(account.id, principalName, role.value)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

resource developerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): if (!empty(developerPrincipalId)) {
  name: guid(account.id, developerPrincipalId, role.value)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    principalId: developerPrincipalId
    principalType: 'User'
  }
}]

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'
