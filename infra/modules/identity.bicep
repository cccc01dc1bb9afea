// The app's user-assigned identity: created before the app, so role assignments and Key Vault
// references do not wait on a system identity (functions-quickstart-dotnet-azd).
param name string
param location string

resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
}

output id string = uami.id
output principalId string = uami.properties.principalId
output clientId string = uami.properties.clientId
