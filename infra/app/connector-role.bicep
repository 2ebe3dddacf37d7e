// The connector's rights in its subscription: a custom role with exactly the actions it performs,
// and the right to assign only the data-plane roles Service Connector assigns (an ABAC condition on
// Role Based Access Control Administrator), instead of Owner or User Access Administrator.
targetScope = 'subscription'

param principalId string

var actions = [
  // Providers: read registration state; register Microsoft.KubernetesConfiguration when allowed.
  'Microsoft.Resources/subscriptions/resourceGroups/read'
  'Microsoft.Resources/subscriptions/providers/read'
  'Microsoft.KubernetesConfiguration/register/action'
  // Clusters: read, enable OIDC issuer / workload identity / Key Vault CSI add-on, credentials.
  'Microsoft.ContainerService/managedClusters/read'
  'Microsoft.ContainerService/managedClusters/write'
  'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'
  'Microsoft.ContainerService/managedClusters/agentPools/read'
  'Microsoft.ContainerService/managedClusters/agentPools/write'
  'Microsoft.Kubernetes/connectedClusters/read'
  'Microsoft.Kubernetes/connectedClusters/listClusterUserCredential/action'
  'Microsoft.KubernetesConfiguration/extensions/read'
  'Microsoft.KubernetesConfiguration/extensions/write'
  'Microsoft.KubernetesConfiguration/extensions/delete'
  'Microsoft.KubernetesConfiguration/extensions/operations/read'
  'Microsoft.HybridCompute/privateLinkScopes/read'
  // Egress addresses and host-port network rules.
  'Microsoft.Network/publicIPAddresses/read'
  'Microsoft.Network/publicIPPrefixes/read'
  'Microsoft.Network/natGateways/read'
  'Microsoft.Network/virtualNetworks/subnets/read'
  'Microsoft.Network/applicationSecurityGroups/read'
  // NSG rules that name an ASG as destination, and pools joined to a given ASG, need the join rights.
  'Microsoft.Network/applicationSecurityGroups/joinNetworkSecurityRule/action'
  'Microsoft.Network/applicationSecurityGroups/joinIpConfiguration/action'
  'Microsoft.Network/networkSecurityGroups/read'
  'Microsoft.Network/networkSecurityGroups/securityRules/read'
  'Microsoft.Network/networkSecurityGroups/securityRules/write'
  'Microsoft.Network/networkSecurityGroups/securityRules/delete'
  'Microsoft.Compute/virtualMachineScaleSets/read'
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'
  'Microsoft.Compute/virtualMachineScaleSets/publicIPAddresses/read'
  // Workload identity.
  'Microsoft.ManagedIdentity/userAssignedIdentities/read'
  'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read'
  'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write'
  'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete'
  'Microsoft.Authorization/roleAssignments/read'
  'Microsoft.Authorization/roleDefinitions/read'
  // Targets: read, firewall rules, keys for secret auth (research/service-connector.md §6.1).
  'Microsoft.Storage/storageAccounts/read'
  'Microsoft.Storage/storageAccounts/write'
  'Microsoft.Storage/storageAccounts/listKeys/action'
  'Microsoft.KeyVault/vaults/read'
  'Microsoft.KeyVault/vaults/write'
  'Microsoft.Sql/servers/read'
  'Microsoft.Sql/servers/databases/read'
  'Microsoft.Sql/servers/firewallRules/*'
  'Microsoft.DBforPostgreSQL/flexibleServers/read'
  'Microsoft.DBforPostgreSQL/flexibleServers/databases/read'
  'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules/*'
  'Microsoft.DBforMySQL/flexibleServers/read'
  'Microsoft.DBforMySQL/flexibleServers/databases/read'
  'Microsoft.DBforMySQL/flexibleServers/firewallRules/*'
  'Microsoft.DocumentDB/databaseAccounts/read'
  'Microsoft.DocumentDB/databaseAccounts/write'
  'Microsoft.DocumentDB/databaseAccounts/listKeys/action'
  'Microsoft.DocumentDB/databaseAccounts/listConnectionStrings/action'
  'Microsoft.Cache/redis/read'
  'Microsoft.Cache/redis/listKeys/action'
  'Microsoft.Cache/redis/firewallRules/*'
  'Microsoft.ServiceBus/namespaces/read'
  'Microsoft.ServiceBus/namespaces/networkrulesets/*'
  'Microsoft.ServiceBus/namespaces/authorizationRules/listkeys/action'
  'Microsoft.EventHub/namespaces/read'
  'Microsoft.EventHub/namespaces/networkrulesets/*'
  'Microsoft.EventHub/namespaces/authorizationRules/listkeys/action'
  'Microsoft.AppConfiguration/configurationStores/read'
  'Microsoft.AppConfiguration/configurationStores/write'
  'Microsoft.AppConfiguration/configurationStores/ListKeys/action'
  'Microsoft.CognitiveServices/accounts/read'
  'Microsoft.CognitiveServices/accounts/write'
  'Microsoft.CognitiveServices/accounts/listKeys/action'
]

resource connectorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'connector-functions-operator')
  properties: {
    roleName: 'Connector Functions Operator (${subscription().subscriptionId})'
    description: 'Exactly the actions Connector Functions performs on clusters, identities, networks and targets.'
    type: 'CustomRole'
    assignableScopes: [subscription().id]
    permissions: [{ actions: actions, notActions: [] }]
  }
}

resource operator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, connectorRole.id)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: connectorRole.id
  }
}

// The data roles Service Connector assigns to workload identities (research/service-connector.md §5.1).
var assignableRoles = [
  '5bd9cd88-fe45-4216-938b-f97437e15450' // DocumentDB Account Contributor
  '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
  'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba' // Key Vault Certificate User
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  'a638d3c7-ab3a-418d-83e6-5f17a39d4fde' // Azure Event Hubs Data Receiver
  '2b629674-e913-4c01-ae53-ef4638d8f975' // Azure Event Hubs Data Sender
  '516239f1-63e1-4d78-a4de-a74fb236a071' // App Configuration Data Reader
  '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
  '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
  'a001fd3d-188f-4b5d-821b-7da978bf7442' // Cognitive Services OpenAI Contributor
  'a97b65f3-24c7-4388-baec-2e87135dc908' // Cognitive Services User
]
var roleList = join(assignableRoles, ', ')
var condition = '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${roleList}})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${roleList}}))'
var rbacAdministrator = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'

resource constrainedRoleAssigner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, rbacAdministrator)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', rbacAdministrator)
    description: 'Connector Functions may assign and remove only the data roles Service Connector uses.'
    conditionVersion: '2.0'
    condition: condition
  }
}
