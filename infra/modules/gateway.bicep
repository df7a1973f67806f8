// Optional API Management in front of the Functions app (main.bicep's gateway parameter). This module
// is the service alone: the app's access restrictions need its public IP addresses before the app is
// configured, and the API needs the app's host name, so the API comes after the app (gatewayapi.bicep).
// Classic tiers only: in Azure operated by 21Vianet, Consumption is not offered and the v2 tiers are
// not listed, and the classic tiers have the static public addresses the restrictions rely on.

@description('API Management service name: it becomes the gateway\'s host name, so globally unique.')
@minLength(1)
@maxLength(50)
param name string

@description('Region of the service.')
param location string

@description('Tags for the service.')
param tags object

@description('Tier: Developer (no SLA, for trials), Basic, Standard or Premium.')
@allowed([
  'Developer'
  'Basic'
  'Standard'
  'Premium'
])
param skuName string

@description('Units of that tier (each adds capacity and cost).')
@minValue(1)
@maxValue(10)
param capacity int

// No @minLength on these two: ARM could check a module's parameters even where the module's condition
// is false, and these are empty when there is no gateway. API Management itself refuses an empty one.
@description('E-mail address API Management sends service notifications to.')
param publisherEmail string

@description('Organisation name shown by API Management.')
param publisherName string

// Old protocols and ciphers off, on both sides of the gateway.
var hardening = {
  'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'false'
  'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11': 'false'
  'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30': 'false'
  'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10': 'false'
  'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11': 'false'
  'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30': 'false'
  'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168': 'false'
}

resource service 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    capacity: capacity
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: publisherName
    publicNetworkAccess: 'Enabled'
    virtualNetworkType: 'None'
    customProperties: hardening
  }
}

output gatewayUrl string = service.properties.gatewayUrl
output publicIpAddresses array = service.properties.publicIPAddresses
