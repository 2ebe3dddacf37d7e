// The subscription's ARM events, delivered to the `armEvents` function. One system topic per source
// (Azure allows one); two filtered subscriptions because a subscription holds at most 25 advanced
// filter values (research/functions-eventgrid.md §2.7). Failed deliveries are dead-lettered to blob.
param tags object
param suffix string
param wireSubscriptions bool
param functionAppId string
param deadLetterStorageAccountName string

var eventTypes = [
  'Microsoft.Resources.ResourceWriteSuccess'
  'Microsoft.Resources.ResourceDeleteSuccess'
  'Microsoft.Resources.ResourceActionSuccess'
]

// Clusters, their egress addresses, and the identity/extension objects the connector owns.
var clusterOperations = [
  'Microsoft.ContainerService/managedClusters/write'
  'Microsoft.ContainerService/managedClusters/delete'
  'Microsoft.ContainerService/managedClusters/agentPools/write'
  'Microsoft.ContainerService/managedClusters/agentPools/delete'
  'Microsoft.Kubernetes/connectedClusters/write'
  'Microsoft.Kubernetes/connectedClusters/delete'
  'Microsoft.Network/publicIPAddresses/write'
  'Microsoft.Network/publicIPAddresses/delete'
  'Microsoft.Network/publicIPPrefixes/write'
  'Microsoft.Network/publicIPPrefixes/delete'
  'Microsoft.Network/natGateways/write'
  'Microsoft.KubernetesConfiguration/extensions/delete'
  'Microsoft.Authorization/roleAssignments/delete'
  'Microsoft.ManagedIdentity/userAssignedIdentities/delete'
  'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete'
]

// Targets: any write or delete on these providers may have changed our firewall rules.
var targetProviders = [
  'Microsoft.Storage'
  'Microsoft.KeyVault'
  'Microsoft.Sql'
  'Microsoft.DBforPostgreSQL'
  'Microsoft.DBforMySQL'
  'Microsoft.DocumentDB'
  'Microsoft.Cache'
  'Microsoft.ServiceBus'
  'Microsoft.EventHub'
  'Microsoft.AppConfiguration'
  'Microsoft.CognitiveServices'
]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: deadLetterStorageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: 'evgt-arm-${suffix}'
  location: 'global'
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, topic.id, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: storage
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

var deliveries = [
  { name: 'connector-clusters', key: 'data.operationName', values: clusterOperations }
  { name: 'connector-targets', key: 'data.resourceProvider', values: targetProviders }
]

resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = [
  for d in (wireSubscriptions ? deliveries : []): {
    parent: topic
    name: d.name
    dependsOn: [deadLetterWriter]
    properties: {
      destination: {
        endpointType: 'AzureFunction'
        properties: {
          resourceId: '${functionAppId}/functions/armEvents'
          maxEventsPerBatch: 1
          preferredBatchSizeInKilobytes: 64
        }
      }
      eventDeliverySchema: 'EventGridSchema'
      filter: {
        includedEventTypes: eventTypes
        advancedFilters: [{ operatorType: 'StringIn', key: d.key, values: d.values }]
      }
      retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
      deadLetterWithResourceIdentity: {
        identity: { type: 'SystemAssigned' }
        deadLetterDestination: {
          endpointType: 'StorageBlob'
          properties: { resourceId: storage.id, blobContainerName: 'eventgrid-deadletter' }
        }
      }
    }
  }
]
