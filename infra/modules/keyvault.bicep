// Key Vault with RBAC: the master keys (secret "otp-key-<id>") and provider secrets live here;
// app settings reference them (@Microsoft.KeyVault(SecretUri=…)) through the user-assigned
// identity. Secret values are set by operators (az keyvault secret set), never by this template.
param name string
param location string
param principalId string

@description('A name of the identity known before deployment (the identity resource\'s name): role assignment names derive from it, so What-If can predict them.')
param principalName string

@description('Private networking: reached only through private endpoints, except from these operator IP ranges (CIDR); none means public network access is disabled.')
param privateNetworking bool
param operatorIpRanges array = []

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    publicNetworkAccess: privateNetworking && empty(operatorIpRanges) ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
      ipRules: [for range in operatorIpRanges: {
        value: range
      }]
    }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalName, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
