// Logs and telemetry: a Log Analytics workspace and a workspace-based Application Insights that
// accepts only Entra-authenticated telemetry, so its connection string alone lets nobody write to it.

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights name.')
param appInsightsName string

@description('Region of both resources.')
param location string

@description('Tags for both resources.')
param tags object

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Name of the identity the Functions app runs as; it may publish telemetry.')
param appIdentityName string

// Despite the name, Monitoring Metrics Publisher is the role that lets an identity send all telemetry.
var metricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, appIdentity.id, metricsPublisherRoleId)
  properties: {
    description: 'Monitoring Metrics Publisher for the HuiminBao Functions app (Entra-authenticated telemetry)'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisherRoleId)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
