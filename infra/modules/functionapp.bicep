// The Functions app, on a Flex Consumption plan or, where Flex Consumption is not offered (Azure
// operated by 21Vianet), an Elastic Premium plan. It runs as the user-assigned identity: storage through
// identity-based AzureWebJobsStorage settings (shared keys are off), secrets through Key Vault
// references, telemetry through Entra-authenticated Application Insights. Every setting the code reads
// (HuiminBao.Hosting.AppSettings) is set here; a test compares the compiled template with that list.
// No endpoint is written in: each comes from the resource it belongs to or from environment(), so the
// same template deploys to global Azure and to Azure operated by 21Vianet.

@description('Hosting plan: FlexConsumption, or ElasticPremium where Flex Consumption is not offered.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string

@description('Elastic Premium size (ElasticPremium only).')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param elasticPremiumSku string

@description('Plan name.')
param planName string

@description('Function app name: its default host name is <name> under the cloud\'s App Service domain, so globally unique.')
param appName string

@description('Region of the plan and the app.')
param location string

@description('Tags for the plan and the app.')
param tags object

@description('Name of the identity the app runs as.')
param appIdentityName string

@description('Name of the pipeline storage account (also holds the deployment container).')
param storageAccountName string

@description('Blob container the app package is deployed to (Flex Consumption) or run from (Elastic Premium).')
param deploymentContainerName string

@description('Name of the Application Insights resource.')
param appInsightsName string

@description('Name of the Key Vault holding the secrets.')
param keyVaultName string

@description('Memory per instance, MB (Flex Consumption only; an Elastic Premium size fixes its own).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the app scales out to (Flex Consumption up to 1000; Elastic Premium up to 100, fewer in some regions).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Instances kept warm for the HTTP functions (0: scale from zero, cold starts possible). Elastic Premium always keeps at least one.')
@minValue(0)
param alwaysReadyHttpInstances int

@description('Whether an API Management gateway fronts the app: then only its addresses may call the app.')
param restrictToGateway bool

@description('Public addresses of that gateway (empty when none).')
param gatewayIpAddresses array

@description('Header the gateway writes the caller\'s address into; empty when no gateway fronts the app.')
param clientAddressHeader string

@description('WeChat API base URL.')
param weChatBaseUrl string

@description('WeChat mini-program app id (public, not a secret).')
param weChatAppId string

@description('Plan year sign-ups are accepted for.')
param enrollmentPlanYear string

@description('Start of the enrollment window, ISO 8601 with offset; empty: open.')
param enrollmentOpensAt string

@description('End of the enrollment window, ISO 8601 with offset; empty: open.')
param enrollmentClosesAt string

@description('NCRONTAB schedule of the daily WeCom report, in UTC (Flex Consumption on Linux has no time zone setting).')
param dailyReportSchedule string

@description('NCRONTAB schedule (UTC) of the sweep that queues sign-ups stored but never queued.')
param signUpSweepSchedule string

@description('How eligibility is checked: the imported roster, or the bureau\'s HTTP service.')
param insuranceMode string

@description('Base URL of the bureau\'s basic-insurance service, where insuranceMode uses it.')
param insuranceBaseUrl string

@description('Request header the bureau\'s service expects its API key in.')
param insuranceApiKeyHeader string

@description('Privacy-notice versions a sign-up\'s consent may name, comma-separated.')
param consentVersions string

@description('How long personal data is kept after the plan year closes, as a .NET TimeSpan (d.hh:mm:ss).')
param retentionPurgeAfter string

@description('NCRONTAB schedule of the retention purge, in UTC.')
param retentionSchedule string

@description('WeChat subscribe-message template id for sign-up results.')
param notificationsTemplateId string

@description('Mini-program page a notification opens.')
param notificationsPage string

@description('The template\'s data keys for the outcome, insured names, plan year and remark.')
param notificationsFieldOutcome string
param notificationsFieldInsured string
param notificationsFieldPlanYear string
param notificationsFieldRemark string

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

var isFlex = hostingPlan == 'FlexConsumption'

// Elastic Premium: the plan's burst limit (at most 100) and at least one always-ready instance.
var premiumMaximumInstances = min(maximumInstanceCount, 100)
var premiumMinimumInstances = max(alwaysReadyHttpInstances, 1)

// Elastic Premium has no identity-based deployment storage. Instead of the Azure Files content share
// (WEBSITE_CONTENTAZUREFILECONNECTIONSTRING needs an account key, and shared keys are off), the app runs
// the package straight from this blob, read with its own identity (Storage Blob Data Owner covers the
// Reader role that needs). Deploying means uploading this blob and restarting (docs/DEPLOYMENT.md).
var premiumPackageBlob = 'functions.zip'

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : {
        name: elasticPremiumSku
        tier: 'ElasticPremium'
        capacity: premiumMinimumInstances
      }
  properties: {
    reserved: true
    maximumElasticWorkerCount: isFlex ? null : premiumMaximumInstances
  }
}

var planSettings = isFlex
  ? []
  : [
      {
        name: 'FUNCTIONS_EXTENSION_VERSION'
        value: '~4'
      }
      {
        name: 'FUNCTIONS_WORKER_RUNTIME'
        value: 'dotnet-isolated'
      }
      {
        name: 'WEBSITE_RUN_FROM_PACKAGE'
        value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}/${premiumPackageBlob}'
      }
      {
        name: 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID'
        value: appIdentity.id
      }
    ]

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  // azd finds the resource to deploy the "functions" service to by this tag.
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${appIdentity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: appIdentity.id
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
              authentication: {
                type: 'UserAssignedIdentity'
                userAssignedIdentityResourceId: appIdentity.id
              }
            }
          }
          scaleAndConcurrency: {
            instanceMemoryMB: instanceMemoryMB
            maximumInstanceCount: maximumInstanceCount
            alwaysReady: alwaysReadyHttpInstances > 0
              ? [
                  {
                    name: 'http'
                    instanceCount: alwaysReadyHttpInstances
                  }
                ]
              : []
          }
          runtime: {
            name: 'dotnet-isolated'
            version: '10.0'
          }
        }
      : null
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption takes the runtime from functionAppConfig; Elastic Premium from these.
      linuxFxVersion: isFlex ? null : 'DOTNET-ISOLATED|10.0'
      minimumElasticInstanceCount: isFlex ? null : premiumMinimumInstances
      functionAppScaleLimit: isFlex ? null : premiumMaximumInstances
      // With a gateway in front, only its addresses reach the app, so its limits can't be walked around
      // and the client-address header it writes can be believed. Deployments (scm) are not restricted.
      ipSecurityRestrictions: [
        for (address, i) in gatewayIpAddresses: {
          name: 'gateway-${i}'
          ipAddress: '${address}/32'
          action: 'Allow'
          priority: 100 + i
        }
      ]
      ipSecurityRestrictionsDefaultAction: restrictToGateway ? 'Deny' : 'Allow'
      scmIpSecurityRestrictionsUseMain: false
      // Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and the
      // run-from-package and content-share settings, so only Elastic Premium gets them (planSettings).
      appSettings: concat([
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storage.properties.primaryEndpoints.queue
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: appIdentity.properties.clientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          // Local auth is off on the component: the host sends telemetry with this identity's token.
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${appIdentity.properties.clientId};Authorization=AAD'
        }
        {
          // The cloud's Entra ID authority (Azure.Identity reads it): global Azure and Azure operated
          // by 21Vianet sign in at different hosts.
          name: 'AZURE_AUTHORITY_HOST'
          value: environment().authentication.loginEndpoint
        }
        {
          name: 'WeChat__BaseUrl'
          value: weChatBaseUrl
        }
        {
          name: 'WeChat__AppId'
          value: weChatAppId
        }
        {
          name: 'WeChat__AppSecret'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=wechat-app-secret)'
        }
        {
          name: 'WeCom__WebhookUrl'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=wecom-webhook-url)'
        }
        {
          name: 'Security__IdHashKey'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=security-id-hash-key)'
        }
        {
          name: 'Security__DataKey'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=security-data-key)'
        }
        {
          name: 'Security__SessionKey'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=security-session-key)'
        }
        {
          // Earlier data keys, still accepted for reading after a rotation ("none" until the first one).
          name: 'Security__RetiredDataKeys'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=security-retired-data-keys)'
        }
        {
          // Earlier session-token keys, accepted until their tokens expire ("none" until the first rotation).
          name: 'Security__RetiredSessionKeys'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=security-retired-session-keys)'
        }
        {
          // Ops keys, one per person or tool (name:key, comma-separated): the app names the caller of
          // every ops action from these; the same keys are the function keys the host checks first.
          name: 'Ops__Keys'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=ops-keys)'
        }
        {
          name: 'Privacy__ConsentVersions'
          value: consentVersions
        }
        {
          name: 'Retention__PurgeAfter'
          value: retentionPurgeAfter
        }
        {
          name: 'Retention__Schedule'
          value: retentionSchedule
        }
        {
          // Where the app reads a caller's address when a gateway fronts it (empty: the connection's).
          name: 'Gateway__ClientAddressHeader'
          value: clientAddressHeader
        }
        {
          name: 'Enrollment__PlanYear'
          value: enrollmentPlanYear
        }
        {
          name: 'Enrollment__OpensAt'
          value: enrollmentOpensAt
        }
        {
          name: 'Enrollment__ClosesAt'
          value: enrollmentClosesAt
        }
        {
          name: 'DailyReport__Schedule'
          value: dailyReportSchedule
        }
        {
          // The pipeline-health watch that alerts ops about lag and backlog: every minute.
          name: 'Health__WatchSchedule'
          value: '0 * * * * *'
        }
        {
          name: 'SignUpSweep__Schedule'
          value: signUpSweepSchedule
        }
        {
          name: 'Insurance__Mode'
          value: insuranceMode
        }
        {
          name: 'Insurance__BaseUrl'
          value: insuranceBaseUrl
        }
        {
          name: 'Insurance__ApiKeyHeader'
          value: insuranceApiKeyHeader
        }
        {
          // Sent to the 医保 service as a header; "none" where the city has no service (roster mode).
          name: 'Insurance__ApiKey'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=insurance-api-key)'
        }
        {
          name: 'Notifications__TemplateId'
          value: notificationsTemplateId
        }
        {
          name: 'Notifications__Page'
          value: notificationsPage
        }
        {
          name: 'Notifications__Fields__Outcome'
          value: notificationsFieldOutcome
        }
        {
          name: 'Notifications__Fields__Insured'
          value: notificationsFieldInsured
        }
        {
          name: 'Notifications__Fields__PlanYear'
          value: notificationsFieldPlanYear
        }
        {
          name: 'Notifications__Fields__Remark'
          value: notificationsFieldRemark
        }
      ], planSettings)
    }
  }
}

// Deployments authenticate with Entra ID (azd, az functionapp deploy); nobody needs publish passwords.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
