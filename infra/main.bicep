// HuiminBao on Azure: one resource group holding the pipeline's storage account, a Functions app
// (Flex Consumption, or Elastic Premium where Flex is not offered) running as a user-assigned identity,
// its Key Vault and its monitoring. The same template targets global Azure and Azure operated by
// 21Vianet (China North 3, China East 3): no endpoint is written in, each comes from its resource or
// from environment(). Deploy with `azd up` (azure.yaml, main.parameters.json) or
// `az deployment sub create`; see docs/DEPLOYMENT.md.

targetScope = 'subscription'

@description('Environment name, e.g. anyang-prod. Resource names and the azd-env-name tag derive from it.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Region for every resource, e.g. eastasia, or chinanorth3 / chinaeast3 in Azure operated by 21Vianet (with hostingPlan ElasticPremium there).')
@minLength(1)
param location string

@description('Hosting plan: FlexConsumption where it is offered (global Azure), ElasticPremium where it is not (Azure operated by 21Vianet).')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string = 'FlexConsumption'

@description('Elastic Premium size (hostingPlan ElasticPremium only): EP1 1 core 3.5 GB, EP2 2 cores 7 GB, EP3 4 cores 14 GB.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param elasticPremiumSku string = 'EP1'

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

@description('Base URL of the bureau\'s basic-insurance service, where insuranceMode uses it (https; the app refuses plain http outside Development).')
param insuranceBaseUrl string = ''

@description('Request header the bureau\'s service expects its API key in (the key itself is the Key Vault secret insurance-api-key).')
param insuranceApiKeyHeader string = 'X-Api-Key'

@description('Privacy-notice (个人信息授权书) versions a sign-up\'s consent may name, comma-separated, e.g. 2026-01.')
@minLength(1)
param consentVersions string

@description('How long personal data is kept after the plan year closes, as a .NET TimeSpan (d.hh:mm:ss).')
param retentionPurgeAfter string = '90.00:00:00'

@description('NCRONTAB schedule of the retention purge in UTC. The default, 19:30 UTC, is 03:30 Beijing time.')
param retentionSchedule string = '0 30 19 * * *'

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

@description('Memory per Functions instance, MB (Flex Consumption only).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the Functions app scales out to (Flex Consumption allows up to 1000; Elastic Premium is capped at 100, fewer in some regions).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Instances kept warm for the HTTP functions; raise before a launch day to avoid cold starts. Elastic Premium always keeps at least one.')
@minValue(0)
param alwaysReadyHttpInstances int = 0

@description('What fronts the Functions app: nothing (the app\'s own limits only), or an API Management gateway with rate limits per client address and per session (docs/DEPLOYMENT.md, "What fronts the app").')
@allowed([
  'None'
  'ApiManagement'
])
param gateway string = 'None'

@description('API Management tier when gateway is ApiManagement: Developer (no SLA), Basic, Standard or Premium. Consumption and the v2 tiers are not offered in Azure operated by 21Vianet.')
@allowed([
  'Developer'
  'Basic'
  'Standard'
  'Premium'
])
param gatewaySku string = 'Standard'

@description('API Management units.')
@minValue(1)
@maxValue(10)
param gatewayCapacity int = 1

@description('E-mail address for API Management\'s service notifications; required when gateway is ApiManagement.')
param gatewayPublisherEmail string = ''

@description('Organisation name shown by API Management.')
param gatewayPublisherName string = 'HuiminBao'

@description('Gateway limit: requests one client address may make per minute to POST /api/sessions, and again to POST /api/signups. Generous: carrier NAT puts many phones behind one address.')
@minValue(1)
param gatewayPerClientPerMinute int = 1200

@description('Gateway limit: sign-ups one session token may post per minute.')
@minValue(1)
param gatewayPerSessionPerMinute int = 60

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
var gatewayName = 'apim-${resourceToken}'
var useGateway = gateway == 'ApiManagement'
// The gateway writes the caller's address into this header; the app reads it only when a gateway is there.
var clientAddressHeader = useGateway ? 'X-HuiminBao-Client-Address' : ''

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
    // Elastic Premium runs the package from the container, so whoever deploys uploads it there.
    deployerPrincipalId: hostingPlan == 'ElasticPremium' ? principalId : ''
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

module gatewayService 'modules/gateway.bicep' = if (useGateway) {
  name: 'gateway'
  scope: rg
  params: {
    name: gatewayName
    location: location
    tags: tags
    skuName: gatewaySku
    capacity: gatewayCapacity
    publisherEmail: gatewayPublisherEmail
    publisherName: gatewayPublisherName
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
    hostingPlan: hostingPlan
    elasticPremiumSku: elasticPremiumSku
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
    restrictToGateway: useGateway
    gatewayIpAddresses: gatewayService.?outputs.publicIpAddresses ?? []
    clientAddressHeader: clientAddressHeader
    weChatBaseUrl: weChatBaseUrl
    weChatAppId: weChatAppId
    enrollmentPlanYear: enrollmentPlanYear
    enrollmentOpensAt: enrollmentOpensAt
    enrollmentClosesAt: enrollmentClosesAt
    dailyReportSchedule: dailyReportSchedule
    signUpSweepSchedule: signUpSweepSchedule
    insuranceMode: insuranceMode
    insuranceBaseUrl: insuranceBaseUrl
    insuranceApiKeyHeader: insuranceApiKeyHeader
    consentVersions: consentVersions
    retentionPurgeAfter: retentionPurgeAfter
    retentionSchedule: retentionSchedule
    notificationsTemplateId: notificationsTemplateId
    notificationsPage: notificationsPage
    notificationsFieldOutcome: notificationsFieldOutcome
    notificationsFieldInsured: notificationsFieldInsured
    notificationsFieldPlanYear: notificationsFieldPlanYear
    notificationsFieldRemark: notificationsFieldRemark
  }
}

// After the app, which itself waits for the gateway service (it needs its addresses): the API forwards
// to the app's host name.
module gatewayApi 'modules/gatewayapi.bicep' = if (useGateway) {
  name: 'gatewayapi'
  scope: rg
  params: {
    serviceName: gatewayName
    appHostName: functionApp.outputs.defaultHostName
    perClientPerMinute: gatewayPerClientPerMinute
    perSessionPerMinute: gatewayPerSessionPerMinute
    clientAddressHeader: clientAddressHeader
  }
}

// azd stores these in the environment; docs/DEPLOYMENT.md uses them in its commands.
output AZURE_CLOUD string = environment().name
output AZURE_LOCATION string = location
output AZURE_HOSTING_PLAN string = hostingPlan
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
// What the mini-program and ops call: the gateway's /api when there is one, else the app's.
output AZURE_API_URL string = useGateway
  ? '${gatewayService.?outputs.gatewayUrl ?? ''}/api'
  : 'https://${functionApp.outputs.defaultHostName}/api'
output AZURE_KEY_VAULT_NAME string = keyVaultName
output AZURE_STORAGE_ACCOUNT_NAME string = storageAccountName
