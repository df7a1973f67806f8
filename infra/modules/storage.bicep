// The pipeline's storage account: the Functions host's own state, the pipeline's queues, tables and
// containers, and the Flex Consumption deployment container. Shared keys are off, so every caller,
// the app included, authenticates with Entra ID.

@description('Storage account name: 3-24 lowercase letters and digits, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the account.')
param location string

@description('Tags for the account.')
param tags object

@description('Redundancy. Zone-redundant by default: sign-ups in flight live only in this account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Name of the identity the Functions app runs as; it gets the data-plane roles below.')
param appIdentityName string

@description('Blob container the app package is deployed to (Flex Consumption) or run from (Elastic Premium).')
param deploymentContainerName string

@description('Object id of whoever uploads the app package themselves (Elastic Premium runs it from the container): Storage Blob Data Contributor on that container alone. Empty for none.')
param deployerPrincipalId string

// Exactly the names the code uses (HuiminBao.Storage.QueueNames.All, TableNames.All,
// BlobContainers.All); a test compares the compiled template with those constants.
var queueNames = [
  'signups'
  'signups-poison'
  'notifications'
  'notifications-poison'
  'roster-imports'
  'roster-imports-poison'
]
var tableNames = [
  'signups'
  'enrollments'
  'roster'
  'rosterimports'
  'reviews'
  'opsstate'
  'ratelimits'
  'audit'
  'health'
]
var containerNames = [
  'roster-uploads'
  'roster-drops'
]

// Built-in role definition ids. Blob Data Owner rather than Contributor: the Functions host manages
// its lease and secrets containers itself (azure-webjobs-hosts, azure-webjobs-secrets).
var dataRoles = [
  {
    name: 'Storage Blob Data Owner'
    id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  }
  {
    name: 'Storage Queue Data Contributor'
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  }
  {
    name: 'Storage Table Data Contributor'
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  }
]

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    // Roster uploads are the bureau's data; a mistaken delete should be recoverable for a week.
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for container in containerNames: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

var blobContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

// Scoped to the package container: the deployer can replace the package, and read nothing else.
resource deployerPackageWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  scope: deploymentContainer
  name: guid(deploymentContainer.id, deployerPrincipalId, blobContributorRoleId)
  properties: {
    description: 'Storage Blob Data Contributor on the HuiminBao app package container, to upload the package'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobContributorRoleId)
    principalId: deployerPrincipalId
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for queue in queueNames: {
    parent: queueService
    name: queue
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for table in tableNames: {
    parent: tableService
    name: table
  }
]

resource dataRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in dataRoles: {
    scope: account
    name: guid(account.id, appIdentity.id, role.id)
    properties: {
      description: '${role.name} for the HuiminBao Functions app'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      principalId: appIdentity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]
