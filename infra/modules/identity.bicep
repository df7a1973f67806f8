// The one identity the Functions app runs as. It is user-assigned (not system-assigned) so it exists
// before the app does: its role assignments and the Key Vault reference identity are in place on the
// app's first start, and the storage connection can name it by client id.

@description('Name of the user-assigned managed identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags for the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}
