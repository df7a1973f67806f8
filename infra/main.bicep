// HuiminBao on Azure: one resource group holding the pipeline's storage account, a Flex Consumption
// Functions app running as a user-assigned identity, its Key Vault and its monitoring.
// Deploy with `azd up` (azure.yaml, main.parameters.json) or `az deployment sub create`; see docs/DEPLOYMENT.md.

targetScope = 'subscription'

@description('Environment name, e.g. anyang-prod. Resource names and the azd-env-name tag derive from it.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Region for every resource. Flex Consumption is offered in a subset of regions.')
@minLength(1)
param location string

@description('Resource group to create or update.')
param resourceGroupName string = 'rg-${environmentName}'

@description('Object id of the person or group who sets the Key Vault secrets (azd passes the signed-in user). Empty for none.')
param principalId string = ''

@description('WeChat mini-program app id.')
@minLength(1)
param weChatAppId string

@description('WeChat API base URL.')
param weChatBaseUrl string = 'https://api.weixin.qq.com'

@description('Plan year sign-ups are accepted for, e.g. 2026.')
@minLength(4)
@maxLength(4)
param enrollmentPlanYear string

@description('Start of the enrollment window, ISO 8601 with offset (2026-01-01T00:00:00+08:00); empty: open.')
param enrollmentOpensAt string = ''

@description('End of the enrollment window, ISO 8601 with offset; empty: open.')
param enrollmentClosesAt string = ''

@description('NCRONTAB schedule of the daily WeCom report in UTC. The default, 16:05 UTC, is 00:05 Beijing time, just after the day closes.')
param dailyReportSchedule string = '0 5 16 * * *'

@description('NCRONTAB schedule (UTC) of the sweep that queues sign-ups stored but never queued (a crash between store and send).')
param signUpSweepSchedule string = '0 */5 * * * *'

@description('How eligibility is checked: "roster" (imported CSV) or the bureau\'s HTTP service.')
param insuranceMode string = 'roster'

@description('Base URL of the bureau\'s basic-insurance service, where insuranceMode uses it.')
param insuranceBaseUrl string = ''

@description('WeChat subscribe-message template id for sign-up results.')
@minLength(1)
param notificationsTemplateId string

@description('Mini-program page a notification opens; {signUpId} is replaced by the sign-up id.')
param notificationsPage string = 'pages/signup/status?id={signUpId}'

@description('Data keys of that template (type prefix + number, as the WeChat console shows them) for the outcome, the insured names, the plan year and the remark.')
param notificationsFieldOutcome string = 'phrase1'
param notificationsFieldInsured string = 'thing2'
param notificationsFieldPlanYear string = 'character_string3'
param notificationsFieldRemark string = 'thing4'

@description('Memory per Functions instance, MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the Functions app scales out to (Flex Consumption allows up to 1000).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Instances kept warm for the HTTP functions; raise before a launch day to avoid cold starts.')
@minValue(0)
param alwaysReadyHttpInstances int = 0

@description('Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_ZRS'

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 90

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  workload: 'huiminbao'
}
var identityName = 'id-${resourceToken}'
var storageAccountName = 'st${resourceToken}'
var keyVaultName = 'kv-${resourceToken}'
var workspaceName = 'log-${resourceToken}'
var appInsightsName = 'appi-${resourceToken}'
var planName = 'plan-${resourceToken}'
var functionAppName = 'func-${resourceToken}'
var deploymentContainerName = 'app-package'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

// The modules below look the identity up by name to grant it roles, so they wait for it explicitly.
module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  dependsOn: [
    identity
  ]
  params: {
    name: storageAccountName
    location: location
    tags: tags
    skuName: storageSku
    appIdentityName: identityName
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  dependsOn: [
    identity
  ]
  params: {
    name: keyVaultName
    location: location
    tags: tags
    appIdentityName: identityName
    opsPrincipalId: principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  dependsOn: [
    identity
  ]
  params: {
    workspaceName: workspaceName
    appInsightsName: appInsightsName
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    appIdentityName: identityName
  }
}

// After the role assignments: the app starts as soon as it exists, and should find its access in place.
module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  dependsOn: [
    storage
    keyVault
    monitoring
  ]
  params: {
    planName: planName
    appName: functionAppName
    location: location
    tags: tags
    appIdentityName: identityName
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    appInsightsName: appInsightsName
    keyVaultName: keyVaultName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    weChatBaseUrl: weChatBaseUrl
    weChatAppId: weChatAppId
    enrollmentPlanYear: enrollmentPlanYear
    enrollmentOpensAt: enrollmentOpensAt
    enrollmentClosesAt: enrollmentClosesAt
    dailyReportSchedule: dailyReportSchedule
    signUpSweepSchedule: signUpSweepSchedule
    insuranceMode: insuranceMode
    insuranceBaseUrl: insuranceBaseUrl
    notificationsTemplateId: notificationsTemplateId
    notificationsPage: notificationsPage
    notificationsFieldOutcome: notificationsFieldOutcome
    notificationsFieldInsured: notificationsFieldInsured
    notificationsFieldPlanYear: notificationsFieldPlanYear
    notificationsFieldRemark: notificationsFieldRemark
  }
}

// azd stores these in the environment; docs/DEPLOYMENT.md uses them in its commands.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVaultName
output AZURE_STORAGE_ACCOUNT_NAME string = storageAccountName
