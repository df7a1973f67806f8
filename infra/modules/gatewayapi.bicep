// The API on the optional API Management gateway: every route of the Functions app under /api, passed
// through unchanged (ops routes keep their x-functions-key), with rate limits per client address on
// POST /api/sessions and POST /api/signups and per session token on POST /api/signups. The policy is
// gateway-policy.xml; docs/DEPLOYMENT.md ("What fronts the app") explains the choice.

@description('Name of the API Management service (gateway.bicep).')
param serviceName string

@description('Default host name of the Functions app, from the app itself.')
param appHostName string

@description('Requests a client address may make per minute to POST /api/sessions, and again to POST /api/signups.')
@minValue(1)
param perClientPerMinute int

@description('Sign-ups one session token may post per minute.')
@minValue(1)
param perSessionPerMinute int

@description('Header the gateway writes the caller\'s address into for the app (Gateway:ClientAddressHeader).')
param clientAddressHeader string

resource service 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: serviceName
}

resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: service
  name: 'huiminbao'
  properties: {
    displayName: 'HuiminBao'
    path: 'api'
    protocols: [
      'https'
    ]
    serviceUrl: 'https://${appHostName}/api'
    // The mini-program holds no API Management subscription key; the app checks its own tokens and keys.
    subscriptionRequired: false
  }
}

var methods = [
  'GET'
  'POST'
  'PUT'
  'PATCH'
  'DELETE'
]

resource operations 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = [
  for method in methods: {
    parent: api
    name: 'all-${toLower(method)}'
    properties: {
      displayName: '${method} /*'
      method: method
      urlTemplate: '/*'
    }
  }
]

resource policy 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: api
  name: 'policy'
  properties: {
    format: 'rawxml'
    value: replace(
      replace(
        replace(loadTextContent('gateway-policy.xml'), '__PER_CLIENT_PER_MINUTE__', string(perClientPerMinute)),
        '__PER_SESSION_PER_MINUTE__',
        string(perSessionPerMinute)
      ),
      '__CLIENT_ADDRESS_HEADER__',
      clientAddressHeader
    )
  }
}
