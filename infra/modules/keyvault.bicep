// The vault for the app's secrets: the WeChat app secret, the WeCom robot URL (its key lets anyone
// post to the ops group), the three Security keys and the retired ones, and the 医保 service's key. The template creates the vault but never the
// secret values: a redeploy must not be able to change the ID hash key, or every person key already
// stored stops matching. Ops set the values once (docs/DEPLOYMENT.md).

@description('Key Vault name: 3-24 letters, digits and dashes, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the vault.')
param location string

@description('Tags for the vault.')
param tags object

@description('Name of the identity the Functions app runs as; it may read secrets.')
param appIdentityName string

@description('Object id of the person or group who sets the secrets (Key Vault Secrets Officer). Empty for none.')
param opsPrincipalId string

var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficerRoleId = 'b86a8fe5-eac8-448a-a1de-e4f8e52b3a8e'

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Once on, purge protection cannot be turned off: a deleted key can always be recovered for 90 days.
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, appIdentity.id, secretsUserRoleId)
  properties: {
    description: 'Key Vault Secrets User for the HuiminBao Functions app (Key Vault references)'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// In RBAC mode even a subscription Owner cannot write secrets without a data-plane role.
resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(opsPrincipalId)) {
  scope: vault
  name: guid(vault.id, opsPrincipalId, secretsOfficerRoleId)
  properties: {
    description: 'Key Vault Secrets Officer for whoever sets the HuiminBao secrets'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficerRoleId)
    principalId: opsPrincipalId
  }
}
