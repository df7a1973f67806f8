// The Functions app on a Flex Consumption plan. It runs as the user-assigned identity: storage through
// identity-based AzureWebJobsStorage settings (shared keys are off), secrets through Key Vault
// references, telemetry through Entra-authenticated Application Insights. Every setting the code reads
// (HuiminBao.Hosting.AppSettings) is set here; a test compares the compiled template with that list.

@description('Flex Consumption plan name.')
param planName string

@description('Function app name: it becomes <name>.azurewebsites.net, so globally unique.')
param appName string

@description('Region of the plan and the app.')
param location string

@description('Tags for the plan and the app.')
param tags object

@description('Name of the identity the app runs as.')
param appIdentityName string

@description('Name of the pipeline storage account (also holds the deployment container).')
param storageAccountName string

@description('Blob container the plan deploys the app package from.')
param deploymentContainerName string

@description('Name of the Application Insights resource.')
param appInsightsName string

@description('Name of the Key Vault holding the secrets.')
param keyVaultName string

@description('Memory per instance, MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Instances kept warm for the HTTP functions (0: scale from zero, cold starts possible).')
@minValue(0)
param alwaysReadyHttpInstances int

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

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

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
    functionAppConfig: {
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
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption takes the worker runtime and version from functionAppConfig and rejects
      // FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and the content-share settings here.
      appSettings: [
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
      ]
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
