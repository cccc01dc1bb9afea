// Private networking: the app reaches storage (blob, queue, table) and Key Vault through private
// endpoints in its own virtual network, so both refuse public network access. The app subnet is
// delegated to Microsoft.App/environments, as Flex Consumption VNet integration requires.
// Shapes: azure-functions-flex-consumption-samples starters/http/dotnet/infra/app/vnet.bicep and
// starters/durablefunctions/workflow/infra/app/storage-PrivateEndpoint.bicep.
param name string
param location string
param storageAccountId string
param vaultId string

@description('Address space of the virtual network; the app and private-endpoint subnets are its first two /24s.')
param addressPrefix string = '10.40.0.0/16'

var appSubnetName = 'app'
var endpointSubnetName = 'private-endpoints'
var endpoints = [
  { service: 'blob', target: storageAccountId, zone: 'privatelink.blob.${environment().suffixes.storage}' }
  { service: 'queue', target: storageAccountId, zone: 'privatelink.queue.${environment().suffixes.storage}' }
  { service: 'table', target: storageAccountId, zone: 'privatelink.table.${environment().suffixes.storage}' }
  { service: 'vault', target: vaultId, zone: 'privatelink${replace(environment().suffixes.keyvaultDns, 'vault.', 'vaultcore.')}' }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-${name}'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: endpointSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: appSubnetName
  }

  resource endpointSubnet 'subnets' existing = {
    name: endpointSubnetName
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for endpoint in endpoints: {
  name: endpoint.zone
  location: 'global'
}]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (endpoint, i) in endpoints: {
  parent: zones[i]
  name: vnet.name
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [for endpoint in endpoints: {
  name: 'pe-${endpoint.service}-${name}'
  location: location
  properties: {
    subnet: {
      id: vnet::endpointSubnet.id
    }
    privateLinkServiceConnections: [
      {
        name: endpoint.service
        properties: {
          privateLinkServiceId: endpoint.target
          groupIds: [
            endpoint.service
          ]
        }
      }
    ]
  }
}]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [for (endpoint, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: endpoint.service
        properties: {
          privateDnsZoneId: zones[i].id
        }
      }
    ]
  }
}]

output appSubnetId string = vnet::appSubnet.id
