/**
 * Automatic, end to end on the emulated world (the npm start world: ARM and Kubernetes emulators,
 * Azurite, the real host with every function, ARM events delivered to `armEvents`). A template is
 * saved; a cluster matching it is created through the ARM SDK; nobody calls the linker API, and
 * the cluster's connection converges (Succeeded, the storage firewall admits the cluster). Our own
 * writes raise events that settle. Deleting the cluster removes our firewall rules and nothing else.
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { StorageManagementClient } from '@azure/arm-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { demoIdentityClientId } from '../../dev/world/demo-connection.js';
import { type EmulatedWorld, startEmulatedWorld } from '../../dev/world/emulated-world.js';
import type { StoredConnection } from '../../shared/model/connection.js';
import { loadSettings } from '../../shared/runtime/settings.js';
import { createTableConnectorStore } from '../../shared/store/connector-store.js';
import { QueueClient } from '@azure/storage-queue';

const resourceGroup = demoIds.resourceGroup.split('/').at(-1) ?? '';
const clusterName = 'aks-orders';
const clusterId = `${demoIds.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${clusterName}`;
const storageName = demoIds.storageAccount.split('/').at(-1) ?? '';
const userRule = '52.160.10.20';
const poll = { updateIntervalInMs: 5 };
type Json = Record<string, unknown>;

let world: EmulatedWorld;
const logs: string[] = [];
let connections: ReturnType<typeof createTableConnectorStore>['connections'];
let aks: ContainerServiceClient;
let converged: StoredConnection;

const props = (id: string): Json => (world.arm.resource(id)?.['properties'] ?? {}) as Json;
const ipRules = (): string[] =>
  (((props(demoIds.storageAccount)['networkAcls'] as Json | undefined)?.['ipRules'] ?? []) as Json[])
    .map((r) => String(r['value']))
    .sort();

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  ms = 120_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not reached; last ${JSON.stringify(value)}\n${logs.slice(-40).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Nothing queued, nothing being delivered: the automatic part has run out of work. */
async function quiet(): Promise<void> {
  const queue = new QueueClient(world.azurite.connectionString, 'reconcile');
  let calm = 0;
  await until(
    async () => {
      await world.arm.events.idle();
      const count = (await queue.exists())
        ? ((await queue.getProperties()).approximateMessagesCount ?? 0)
        : 0;
      calm = count === 0 ? calm + 1 : 0;
      return calm;
    },
    (c) => c >= 8, // two seconds in a row with an empty queue (longer than the 1 s event window)
    'an empty reconcile queue',
  );
}

beforeAll(async () => {
  world = await startEmulatedWorld({
    log: (line) => logs.push(line),
    appSettings: { CONNECTOR_EVENT_WINDOW_SECONDS: '1', CONNECTOR_SWEEP_SCHEDULE: '0 0 0 1 1 *' },
  });
  connections = createTableConnectorStore(
    loadSettings({ AzureWebJobsStorage: world.azurite.connectionString }).storage,
  ).connections;
  const credential = world.arm.credential('platform-team');
  aks = new ContainerServiceClient(credential, demoIds.subscriptionId, { endpoint: world.arm.endpoint });
  // The storage account admits one address a person added; everything else is denied.
  await new StorageManagementClient(credential, demoIds.subscriptionId, {
    endpoint: world.arm.endpoint,
  }).storageAccounts.update(resourceGroup, storageName, {
    networkRuleSet: {
      defaultAction: 'Deny',
      bypass: 'AzureServices',
      ipRules: [{ iPAddressOrRange: userRule, action: 'Allow' }],
    },
  });
  const template = {
    properties: {
      selector: { tags: { team: 'orders' } },
      connection: {
        name: 'orders_blob',
        properties: {
          targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
          authInfo: {
            authType: 'userAssignedIdentity',
            clientId: demoIdentityClientId(world.arm, demoIds.identity),
            subscriptionId: demoIds.subscriptionId,
          },
          clientType: 'none',
          scope: 'orders',
        },
      },
    },
  };
  const saved = await fetch(`${world.host.url}/api/connectionTemplates/orders?api-version=2024-04-01`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      'x-functions-key': world.endpoints.host?.functionKey ?? '',
    },
    body: JSON.stringify(template),
  });
  if (saved.status !== 201) throw new Error(`template not saved: ${saved.status} ${await saved.text()}`);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('a cluster created through ARM gets its template connection on its own', () => {
  it('converges the connection (Succeeded) with no call to the linker API', async () => {
    await aks.managedClusters.beginCreateOrUpdateAndWait(
      resourceGroup,
      clusterName,
      {
        location: 'eastus',
        tags: { team: 'orders' },
        identity: { type: 'SystemAssigned' },
        dnsPrefix: clusterName,
        agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4ds_v5' }],
        networkProfile: {
          outboundType: 'loadBalancer',
          loadBalancerProfile: { managedOutboundIPs: { count: 1 } },
        },
      },
      poll,
    );
    converged = await until(
      async () => (await connections.get(clusterId, 'orders_blob')) as StoredConnection,
      (c) => c?.provisioningState === 'Succeeded',
      'the template connection Succeeded',
    );
    expect(converged.status.every((s) => s.result === 'Succeeded')).toBe(true);
    // Written by the reconcile of the new cluster, from the template (this test never PUTs a linker).
    expect(converged.inventory['template']).toMatchObject({ name: 'orders' });
  }, 180_000);

  it("admits the cluster's outbound address on the storage account next to the person's rule", () => {
    const outbound = ((props(clusterId)['networkProfile'] as Json)['loadBalancerProfile'] as Json)[
      'effectiveOutboundIPs'
    ] as { id: string }[];
    const addresses = outbound.map((ip) => String(props(ip.id)['ipAddress']));
    expect(addresses).toHaveLength(1);
    expect(ipRules()).toEqual([userRule, ...addresses].sort());
  });

  it('settles: the events our own writes raised end in reconciles that write nothing', async () => {
    await quiet();
    const app = world.arm.managedIdentity.principalId;
    const ours = world.arm.events.log().filter((r) => {
      const claims = (r.event.data['claims'] ?? {}) as Json;
      return claims['http://schemas.microsoft.com/identity/claims/objectidentifier'] === app;
    });
    // The connector wrote (extension, cluster features, firewall...) and each write raised an event.
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((r) => r.status === 'delivered')).toBe(true);
    const requests = world.arm.requestLog.entries({ principalId: app });
    // Writes as ARM counts them; list* actions (keys, kubeconfig) read.
    const writes = requests.map(
      (e) =>
        e.kind === 'write' ||
        e.kind === 'delete' ||
        (e.kind === 'action' && !/\/list[A-Za-z]*$/i.test(e.path)),
    );
    const lastWrite = writes.lastIndexOf(true);
    // After the connector's last write, at least one whole reconcile read the world and wrote nothing.
    expect(requests.slice(lastWrite + 1).filter((e) => e.kind === 'read').length).toBeGreaterThan(5);
    const writesBefore = world.arm.requestLog.count({ principalId: app, kind: 'write' });
    await quiet();
    expect(world.arm.requestLog.count({ principalId: app, kind: 'write' })).toBe(writesBefore);
  }, 180_000);

  it('removes our firewall rule when the cluster is deleted, and nothing else', async () => {
    const resourcesBefore = world.arm
      .resources()
      .map((r) => String(r['id']).toLowerCase())
      .filter(
        (id) => !id.includes(clusterName) && !id.includes(`mc_${resourceGroup}_${clusterName}`.toLowerCase()),
      );
    await aks.managedClusters.beginDeleteAndWait(resourceGroup, clusterName, poll);
    await until(
      () => Promise.resolve(ipRules()),
      (rules) => rules.length === 1,
      'our rule removed',
    );
    expect(ipRules()).toEqual([userRule]);
    await quiet();
    const orphaned = await connections.get(clusterId, 'orders_blob');
    expect(orphaned?.status.find((s) => s.name === 'Cluster')).toMatchObject({
      result: 'Failed',
      reasonCode: 'ClusterNotFound',
    });
    // Everything that was not the cluster's is still there (the federated credential we made for it aside).
    const after = new Set(world.arm.resources().map((r) => String(r['id']).toLowerCase()));
    const missing = resourcesBefore.filter((id) => !after.has(id));
    expect(missing.every((id) => id.includes('/federatedidentitycredentials/'))).toBe(true);
    expect(world.arm.resource(demoIds.storageAccount)).toBeDefined();
    expect(world.arm.resource(demoIds.cluster)).toBeDefined();
  }, 180_000);
});
