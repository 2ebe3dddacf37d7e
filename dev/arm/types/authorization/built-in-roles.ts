/**
 * Built-in role definitions: the ones Service Connector assigns (research service-connector.md §5.1,
 * Learn "concept-microsoft-entra-roles"), the general ones (Owner, Contributor, Reader, User Access
 * Administrator) and the few the connector's own deployment needs. Ids are Azure's.
 */
export interface BuiltInRole {
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  readonly actions: readonly string[];
  readonly notActions?: readonly string[];
  readonly dataActions?: readonly string[];
}

export const builtInRoles: readonly BuiltInRole[] = [
  {
    id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    roleName: 'Owner',
    description:
      'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    actions: ['*'],
  },
  {
    id: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    roleName: 'Contributor',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.',
    actions: ['*'],
    notActions: [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
    ],
  },
  {
    id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    actions: ['*/read'],
  },
  {
    id: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    actions: ['*/read', 'Microsoft.Authorization/*'],
  },
  {
    id: '5bd9cd88-fe45-4216-938b-f97437e15450',
    roleName: 'DocumentDB Account Contributor',
    description: 'Lets you manage DocumentDB accounts, but not access to them.',
    actions: ['Microsoft.DocumentDb/databaseAccounts/*'],
  },
  {
    id: '4633458b-17de-408a-b874-0445c86b69e6',
    roleName: 'Key Vault Secrets User',
    description: 'Read secret contents.',
    actions: [],
    dataActions: [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ],
  },
  {
    id: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
    roleName: 'Key Vault Certificate User',
    description: 'Read entire certificate contents including secret and key portion.',
    actions: [],
    dataActions: [
      'Microsoft.KeyVault/vaults/certificates/read',
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/keys/read',
    ],
  },
  {
    id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    roleName: 'Storage Blob Data Contributor',
    description: 'Allows for read, write and delete access to Azure Storage blob containers and data.',
    actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/*'],
    dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'],
  },
  {
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    roleName: 'Storage Queue Data Contributor',
    description: 'Allows for read, write, and delete access to Azure Storage queues and queue messages.',
    actions: ['Microsoft.Storage/storageAccounts/queueServices/queues/*'],
    dataActions: ['Microsoft.Storage/storageAccounts/queueServices/queues/messages/*'],
  },
  {
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    roleName: 'Storage Table Data Contributor',
    description: 'Allows for read, write and delete access to Azure Storage tables and entities.',
    actions: ['Microsoft.Storage/storageAccounts/tableServices/tables/*'],
    dataActions: ['Microsoft.Storage/storageAccounts/tableServices/tables/entities/*'],
  },
  {
    id: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
    roleName: 'Azure Event Hubs Data Receiver',
    description: 'Allows receive access to Azure Event Hubs resources.',
    actions: ['Microsoft.EventHub/*/eventhubs/consumergroups/read'],
    dataActions: ['Microsoft.EventHub/*/receive/action'],
  },
  {
    id: '2b629674-e913-4c01-ae53-ef4638d8f975',
    roleName: 'Azure Event Hubs Data Sender',
    description: 'Allows send access to Azure Event Hubs resources.',
    actions: ['Microsoft.EventHub/*/eventhubs/read'],
    dataActions: ['Microsoft.EventHub/*/send/action'],
  },
  {
    id: '516239f1-63e1-4d78-a4de-a74fb236a071',
    roleName: 'App Configuration Data Reader',
    description: 'Allows read access to App Configuration data.',
    actions: [],
    dataActions: ['Microsoft.AppConfiguration/configurationStores/*/read'],
  },
  {
    id: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
    roleName: 'Azure Service Bus Data Receiver',
    description: 'Allows for receive access to Azure Service Bus resources.',
    actions: ['Microsoft.ServiceBus/*/queues/read', 'Microsoft.ServiceBus/*/topics/read'],
    dataActions: ['Microsoft.ServiceBus/*/receive/action'],
  },
  {
    id: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
    roleName: 'Azure Service Bus Data Sender',
    description: 'Allows for send access to Azure Service Bus resources.',
    actions: ['Microsoft.ServiceBus/*/queues/read', 'Microsoft.ServiceBus/*/topics/read'],
    dataActions: ['Microsoft.ServiceBus/*/send/action'],
  },
  {
    id: '7e4f1700-ea5a-4f59-8f37-079cfe29dce3',
    roleName: 'SignalR Service Owner',
    description: 'Full access to Azure SignalR Service REST APIs.',
    actions: [],
    dataActions: ['Microsoft.SignalRService/SignalR/*'],
  },
  {
    id: '8cf5e20a-e4b2-4e9d-b3a1-5ceb692c2761',
    roleName: 'SignalR/Web PubSub Contributor',
    description: 'Create, Read, Update, and Delete SignalR service resources.',
    actions: ['Microsoft.SignalRService/*'],
  },
  {
    id: 'a001fd3d-188f-4b5d-821b-7da978bf7442',
    roleName: 'Cognitive Services OpenAI Contributor',
    description: 'Full access including the ability to fine-tune, deploy and generate text.',
    actions: ['Microsoft.CognitiveServices/*/read'],
    dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'],
  },
  {
    id: 'a97b65f3-24c7-4388-baec-2e87135dc908',
    roleName: 'Cognitive Services User',
    description: 'Lets you read and list keys of Cognitive Services.',
    actions: ['Microsoft.CognitiveServices/*/read', 'Microsoft.CognitiveServices/accounts/listkeys/action'],
    dataActions: ['Microsoft.CognitiveServices/*'],
  },
  {
    id: 'f1a07417-d97a-45cb-824c-7a7467783830',
    roleName: 'Managed Identity Operator',
    description: 'Read and Assign User Assigned Identity.',
    actions: [
      'Microsoft.ManagedIdentity/userAssignedIdentities/*/read',
      'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
    ],
  },
  {
    id: '4d97b98b-1d4f-4787-a291-c67834d212e7',
    roleName: 'Network Contributor',
    description: 'Lets you manage networks, but not access to them.',
    actions: ['Microsoft.Network/*'],
  },
  {
    id: '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
    roleName: 'Azure Kubernetes Service Cluster User Role',
    description: 'List cluster user credential action.',
    actions: [
      'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
      'Microsoft.ContainerService/managedClusters/read',
    ],
  },
  {
    id: '0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8',
    roleName: 'Azure Kubernetes Service Cluster Admin Role',
    description: 'List cluster admin credential action.',
    actions: [
      'Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action',
      'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
      'Microsoft.ContainerService/managedClusters/read',
    ],
  },
  {
    id: '85cb6faf-e071-4c9b-8136-154b5a04f717',
    roleName: 'Kubernetes Extension Contributor',
    description:
      'Can create, update, get, list and delete Kubernetes Extensions, and get extension async operations.',
    actions: [
      'Microsoft.KubernetesConfiguration/extensions/*',
      'Microsoft.KubernetesConfiguration/operations/read',
    ],
  },
];
