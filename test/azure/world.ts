/**
 * The world the adapter tests run in: the ARM emulator with the demo seed plus one target of every
 * resource type in a firewall-restricted state, and the production adapters built against it with
 * the emulator's TokenCredential and short retry waits.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import {
  type ArmEmulator,
  type ArmWorldSeed,
  type RequestLogEntry,
  demoIds,
  demoLocation as location,
  demoSeed,
  demoSubscriptionId,
  startArmEmulator,
} from '../../dev/arm/index.js';
import { trustCaInThisProcess } from '../../dev/tls/local-ca.js';
import { createAzurePorts, type AzurePortsWithInternals } from '../../shared/azure/create-azure-ports.js';
import type { ArmRetryOptions } from '../../shared/azure/retry-policy.js';

export { demoIds, demoSubscriptionId, location };

const rg = demoIds.resourceGroup;
const suffix = randomUUID().replaceAll('-', '').slice(0, 8);
/** A user's rule already on each restricted target (never touched by us). */
export const userRule = '20.50.0.7';

export const targetIds = {
  storage: `${rg}/providers/Microsoft.Storage/storageAccounts/stfw${suffix}`,
  keyVault: `${rg}/providers/Microsoft.KeyVault/vaults/kvfw${suffix}`,
  cosmos: `${rg}/providers/Microsoft.DocumentDB/databaseAccounts/cosmosfw${suffix}`,
  cosmosMongo: `${rg}/providers/Microsoft.DocumentDB/databaseAccounts/mongofw${suffix}`,
  cosmosTable: `${rg}/providers/Microsoft.DocumentDB/databaseAccounts/tablefw${suffix}`,
  sql: `${rg}/providers/Microsoft.Sql/servers/sqlfw${suffix}`,
  postgres: demoIds.postgresServer,
  mysql: `${rg}/providers/Microsoft.DBforMySQL/flexibleServers/myfw${suffix}`,
  redis: `${rg}/providers/Microsoft.Cache/redis/redisfw${suffix}`,
  serviceBus: `${rg}/providers/Microsoft.ServiceBus/namespaces/sbfw${suffix}`,
  eventHub: `${rg}/providers/Microsoft.EventHub/namespaces/ehfw${suffix}`,
  appConfig: `${rg}/providers/Microsoft.AppConfiguration/configurationStores/appcsfw${suffix}`,
  cognitive: `${rg}/providers/Microsoft.CognitiveServices/accounts/cogfw${suffix}`,
  arc: `${rg}/providers/Microsoft.Kubernetes/connectedClusters/arcfw${suffix}`,
  /** An Arc cluster without private link: cluster connect works there. */
  arcPublic: `${rg}/providers/Microsoft.Kubernetes/connectedClusters/arcpub${suffix}`,
  privateLinkScope: `${rg}/providers/Microsoft.HybridCompute/privateLinkScopes/plsfw${suffix}`,
  workloadIdentity: `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/idfw${suffix}`,
} as const;

const denyWithUserRule = { defaultAction: 'Deny', ipRules: [{ value: userRule }] };

function targetsSeed(tenantId: string): ArmWorldSeed {
  const namespaceRules = { defaultAction: 'Deny', ipRules: [{ ipMask: userRule, action: 'Allow' }] };
  return {
    subscriptions: [],
    resources: [
      {
        id: targetIds.storage,
        body: {
          location,
          sku: { name: 'Standard_LRS' },
          kind: 'StorageV2',
          properties: {
            networkAcls: {
              bypass: 'AzureServices',
              defaultAction: 'Deny',
              ipRules: [{ value: userRule, action: 'Allow' }],
            },
          },
        },
      },
      {
        id: targetIds.keyVault,
        body: {
          location,
          properties: {
            tenantId,
            sku: { family: 'A', name: 'standard' },
            enableRbacAuthorization: true,
            networkAcls: { ...denyWithUserRule, bypass: 'AzureServices' },
          },
        },
      },
      ...(
        [
          [targetIds.cosmos, 'GlobalDocumentDB', []],
          [targetIds.cosmosMongo, 'MongoDB', []],
          [targetIds.cosmosTable, 'GlobalDocumentDB', [{ name: 'EnableTable' }]],
        ] as const
      ).map(([id, kind, capabilities]) => ({
        id,
        body: {
          location,
          kind,
          properties: {
            databaseAccountOfferType: 'Standard',
            locations: [{ locationName: location, failoverPriority: 0 }],
            capabilities,
            ipRules: [{ ipAddressOrRange: userRule }],
          },
        },
      })),
      {
        id: targetIds.sql,
        body: {
          location,
          properties: { administratorLogin: 'sqladmin', administratorLoginPassword: 'P@ssw0rd-1' },
        },
      },
      {
        id: targetIds.mysql,
        body: {
          location,
          properties: { administratorLogin: 'myadmin', administratorLoginPassword: 'P@ssw0rd-1' },
        },
      },
      {
        id: targetIds.redis,
        body: { location, properties: { sku: { name: 'Standard', family: 'C', capacity: 1 } } },
      },
      ...[targetIds.sql, targetIds.postgres, targetIds.mysql].map((server) => ({
        id: `${server}/firewallRules/user`,
        body: { properties: { startIpAddress: userRule, endIpAddress: userRule } },
      })),
      {
        id: `${targetIds.redis}/firewallRules/user`,
        body: { properties: { startIP: userRule, endIP: userRule } },
      },
      { id: targetIds.serviceBus, body: { location, sku: { name: 'Standard' } } },
      { id: `${targetIds.serviceBus}/networkRuleSets/default`, body: { properties: namespaceRules } },
      { id: targetIds.eventHub, body: { location, sku: { name: 'Standard' } } },
      { id: `${targetIds.eventHub}/networkRuleSets/default`, body: { properties: namespaceRules } },
      { id: targetIds.appConfig, body: { location, sku: { name: 'standard' } } },
      {
        id: targetIds.cognitive,
        body: {
          location,
          kind: 'CognitiveServices',
          sku: { name: 'S0' },
          properties: { customSubDomainName: `cogfw${suffix}`, networkAcls: denyWithUserRule },
        },
      },
      { id: targetIds.privateLinkScope, body: { location, properties: { publicNetworkAccess: 'Disabled' } } },
      {
        id: targetIds.arc,
        apiVersion: '2026-05-01',
        body: {
          location,
          identity: { type: 'SystemAssigned' },
          properties: {
            agentPublicKeyCertificate: 'MIIB',
            privateLinkState: 'Enabled',
            privateLinkScopeResourceId: targetIds.privateLinkScope,
            oidcIssuerProfile: { enabled: true },
          },
        },
      },
      {
        id: targetIds.arcPublic,
        body: {
          location,
          identity: { type: 'SystemAssigned' },
          properties: { agentPublicKeyCertificate: 'MIIB' },
        },
      },
      { id: targetIds.workloadIdentity, body: { location } },
    ],
  };
}

export interface AzureWorld {
  readonly emulator: ArmEmulator;
  readonly ports: AzurePortsWithInternals;
  /** Runs `work` and returns the ARM requests it made, in order. */
  requestsOf(work: () => Promise<unknown>): Promise<RequestLogEntry[]>;
  close(): Promise<void>;
}

/** Short waits so retry tests stay fast; the policy and its limits are the production ones. */
export const testRetry: ArmRetryOptions = { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 40 };

export async function startAzureWorld(retry: ArmRetryOptions = testRetry): Promise<AzureWorld> {
  const emulator = await startArmEmulator({ timeScale: 1000, seed: demoSeed(), throttling: false });
  trustCaInThisProcess(emulator.caPem);
  await emulator.loadSeed({ ...targetsSeed(emulator.tenantId), subscriptions: demoSeed().subscriptions });
  const ports = createAzurePorts({ endpoint: emulator.endpoint, credential: emulator.credential(), retry });
  return {
    emulator,
    ports,
    async requestsOf(work) {
      const before = emulator.requestLog.count();
      await work();
      return emulator.requestLog.entries().slice(before);
    },
    close: () => emulator.close(),
  };
}

/** `GET /subscriptions/.../x 200` lines, for readable request-log assertions. */
export function lines(entries: readonly RequestLogEntry[]): string[] {
  return entries.map((e) => `${e.method} ${e.path} ${e.status}`);
}

/** Vitest's asymmetric matchers typed `unknown`, so object literals that hold them stay lint-clean. */
export const anyString: unknown = expect.any(String);
export const anyArray: unknown = expect.any(Array);
export const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);
export const containing = (object: Record<string, unknown>): unknown => expect.objectContaining(object);
export const including = (items: unknown[]): unknown => expect.arrayContaining(items);
