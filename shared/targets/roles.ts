/**
 * Built-in roles Service Connector assigns by default for identity auth (research §5.1, from
 * Learn concept-microsoft-entra-roles). Built-in role definition GUIDs are the same in every
 * subscription; the full id is formed under the target's subscription when assigning.
 */
import type { RoleSpec } from './types.js';

export const roles = {
  documentDbAccountContributor: {
    name: 'DocumentDB Account Contributor',
    roleDefinitionId: '5bd9cd88-fe45-4216-938b-f97437e15450',
  },
  keyVaultSecretsUser: {
    name: 'Key Vault Secrets User',
    roleDefinitionId: '4633458b-17de-408a-b874-0445c86b69e6',
  },
  keyVaultCertificateUser: {
    name: 'Key Vault Certificate User',
    roleDefinitionId: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
  },
  storageBlobDataContributor: {
    name: 'Storage Blob Data Contributor',
    roleDefinitionId: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  },
  storageQueueDataContributor: {
    name: 'Storage Queue Data Contributor',
    roleDefinitionId: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  },
  storageTableDataContributor: {
    name: 'Storage Table Data Contributor',
    roleDefinitionId: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  },
  eventHubsDataReceiver: {
    name: 'Azure Event Hubs Data Receiver',
    roleDefinitionId: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  },
  eventHubsDataSender: {
    name: 'Azure Event Hubs Data Sender',
    roleDefinitionId: '2b629674-e913-4c01-ae53-ef4638d8f975',
  },
  appConfigurationDataReader: {
    name: 'App Configuration Data Reader',
    roleDefinitionId: '516239f1-63e1-4d78-a4de-a74fb236a071',
  },
  serviceBusDataReceiver: {
    name: 'Service Bus Data Receiver',
    roleDefinitionId: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  },
  serviceBusDataSender: {
    name: 'Service Bus Data Sender',
    roleDefinitionId: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  },
  cognitiveServicesOpenAiContributor: {
    name: 'Cognitive Services OpenAI Contributor',
    roleDefinitionId: 'a001fd3d-188f-4b5d-821b-7da978bf7442',
  },
  cognitiveServicesUser: {
    name: 'Cognitive Services User',
    roleDefinitionId: 'a97b65f3-24c7-4388-baec-2e87135dc908',
  },
} as const satisfies Record<string, RoleSpec>;
