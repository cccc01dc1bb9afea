// Application Insights on Log Analytics with local (key) auth disabled: telemetry is sent with
// the managed identity (Monitoring Metrics Publisher), as in the Flex Consumption samples.
param name string
param location string
param principalId string

@description('A name of the identity known before deployment (the identity resource\'s name): role assignment names derive from it, so What-If can predict them.')
param principalName string

var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: 'log-${name}'
  location: location
  properties: {
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, principalName, monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The operator's dashboard: conversion per channel and country, delivery rate, verifications,
// fraud-guard events, limits and latency, from the meter the service exports (workbook.json).
resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(insights.id, 'otp-workbook')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'OtpFunctions (${name})'
    category: 'workbook'
    sourceId: insights.id
    serializedData: loadTextContent('workbook.json')
  }
}

output connectionString string = insights.properties.ConnectionString
