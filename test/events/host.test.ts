/**
 * The automatic triggers in the real local host (the app as Azure loads it, from dist/): the ARM
 * emulator's Event Grid delivery (handshake, then one POST per event, both schemas) reaching
 * `armEvents` and producing a reconcile message; the poison queue trigger and GET /api/health; the
 * sweep timer run through the admin API. Run `npm run build` first.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArmEmulator, type ArmEmulator } from '../../dev/arm/index.js';
import { startAzurite, type Azurite } from '../../dev/azurite/index.js';
import { startFunctionsHost, type FunctionsHost } from '../../dev/functions-host/index.js';
import { acceptPut } from '../../shared/model/connection.js';
import type { LinkerSpec } from '../../shared/model/linker-spec.js';
import { encodeWorkItem, workItem } from '../../shared/model/work-item.js';
import { loadSettings } from '../../shared/runtime/settings.js';
import { createTableConnectorStore } from '../../shared/store/connector-store.js';
import { validate, workloadIdentityBody } from '../model/linker-fixtures.js';
import { eventGridBody } from './fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const subscriptionId = '00000000-0000-4000-8000-0000000e7e01';
const rg = `/subscriptions/${subscriptionId}/resourceGroups/rg-events`;
const poll = { updateIntervalInMs: 5 };

let dir: string;
let azurite: Azurite;
let arm: ArmEmulator;
let host: FunctionsHost;
const logs: string[] = [];
let reconcileQueue: QueueClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'events-host-'));
  azurite = await startAzurite();
  arm = await startArmEmulator({
    timeScale: 1000,
    seed: {
      subscriptions: [{ subscriptionId }],
      resourceGroups: [{ subscriptionId, name: 'rg-events', location: 'eastus' }],
    },
  });
  const caPath = join(dir, 'arm-ca.pem');
  await writeFile(caPath, arm.caPem);
  host = await startFunctionsHost({
    appDir: root,
    keysFile: join(dir, 'host-keys.json'),
    onLog: (line) => logs.push(line),
    env: {
      AzureWebJobsStorage: azurite.connectionString,
      CONNECTOR_ARM_ENDPOINT: arm.endpoint,
      IDENTITY_ENDPOINT: arm.managedIdentity.endpoint,
      IDENTITY_HEADER: arm.managedIdentity.header,
      NODE_EXTRA_CA_CERTS: caPath,
      AZURE_CLIENT_ID: '',
      AZURE_TENANT_ID: '',
      AZURE_CLIENT_SECRET: '',
      // A long window keeps event reconciles invisible for the whole test (no consumer races us).
      CONNECTOR_EVENT_WINDOW_SECONDS: '600',
      CONNECTOR_SWEEP_SCHEDULE: '0 0 0 1 1 *',
      CONNECTOR_SUBSCRIPTION_IDS: '',
    },
  });
  reconcileQueue = new QueueClient(azurite.connectionString, 'reconcile');
});

afterAll(async () => {
  await host?.stop();
  await arm?.close();
  await azurite?.stop();
  await rm(dir, { recursive: true, force: true });
});

function webhookUrl(): string {
  const code = host.keys.systemKeys['eventgrid_extension'] ?? '';
  return `${host.url}/runtime/webhooks/eventgrid?functionName=armEvents&code=${encodeURIComponent(code)}`;
}

async function queued(): Promise<number> {
  if (!(await reconcileQueue.exists())) return 0;
  return (await reconcileQueue.getProperties()).approximateMessagesCount ?? 0;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen; host log:\n${logs.slice(-30).join('\n')}`);
}

function clusterBody() {
  return {
    location: 'eastus',
    identity: { type: 'SystemAssigned' as const },
    dnsPrefix: 'ev',
    agentPoolProfiles: [{ name: 'system', mode: 'System' as const, count: 1, vmSize: 'Standard_D4ds_v5' }],
  };
}

describe('ARM events through the local host', () => {
  it('registers armEvents as an Event Grid trigger, with the poison queue and sweep timer', () => {
    const byName = new Map(host.functions.map((f) => [f.name, f.trigger.toLowerCase()]));
    expect(byName.get('armEvents')).toBe('eventgridtrigger');
    expect(byName.get('reconcilePoison')).toBe('queuetrigger');
    expect(byName.get('validationSweep')).toBe('timertrigger');
  });

  it.each([['EventGridSchema' as const], ['CloudEventSchemaV1_0' as const]])(
    'turns a cluster created through the ARM SDK into a reconcile message (%s)',
    async (schema) => {
      await arm.setEventDelivery({ url: webhookUrl(), schema });
      const before = await queued();
      const client = new ContainerServiceClient(arm.credential('platform-team'), subscriptionId, {
        endpoint: arm.endpoint,
      });
      const name = `aks-${schema === 'EventGridSchema' ? 'eg' : 'ce'}-${randomUUID().slice(0, 6)}`;
      await client.managedClusters.beginCreateOrUpdateAndWait('rg-events', name, clusterBody(), poll);
      await arm.events.idle();
      const clusterEvent = arm.events
        .log()
        .find(
          (r) =>
            r.event.subject.toLowerCase() ===
            `${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`.toLowerCase(),
        );
      expect(clusterEvent).toMatchObject({ status: 'delivered', lastStatusCode: 202 });
      expect(await until(queued, (n) => n > before, 'the reconcile message')).toBe(before + 1);
    },
  );

  it('acknowledges a malformed event (202: Event Grid must not retry it) and logs the reason', async () => {
    const body = eventGridBody('agent-pool-write');
    delete body[0].data['resourceUri'];
    const response = await fetch(webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
    await until(
      () => Promise.resolve(logs.join('\n')),
      (text) => text.includes('data.resourceUri is missing'),
      'the log line',
    );
    expect(logs.join('\n')).not.toMatch(/Dana Example|203\.0\.113\.24/);
  });
});

describe('poison and sweep through the local host', () => {
  it('records a poisoned reconcile and counts it in GET /api/health', async () => {
    const clusterId = `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-poisoned`;
    const poisonQueue = new QueueClient(azurite.connectionString, 'reconcile-poison');
    await poisonQueue.createIfNotExists();
    await poisonQueue.sendMessage(encodeWorkItem(workItem(clusterId, 'event', new Date())));
    const health = await until(
      async () =>
        (await (await fetch(`${host.url}/api/health`)).json()) as { work?: { poisonedClusters?: number } },
      (h) => h.work?.poisonedClusters === 1,
      'the poisoned count',
    );
    expect(health.work).toEqual({ poisonedClusters: 1, poisonedClustersCapped: false });
  });

  it('sweeps the clusters with connections when the timer runs (admin API)', async () => {
    const store = createTableConnectorStore(
      loadSettings({ AzureWebJobsStorage: azurite.connectionString }).storage,
    );
    const spec = validate(workloadIdentityBody()).draft as unknown as LinkerSpec;
    const clusterId = `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-swept`;
    await store.connections.save(
      acceptPut(
        undefined,
        { clusterId, name: 'conn', spec },
        { operationId: 'op', revision: 'r', now: new Date() },
      ),
      { absent: true },
    );
    const response = await fetch(`${host.url}/admin/functions/validationSweep`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': host.keys.masterKey },
      body: JSON.stringify({ input: '' }),
    });
    expect(response.status).toBe(202);
    // The sweep's own report (the reconcile worker may take the message at once, so not the queue).
    const line = await until(
      () => Promise.resolve(logs.find((l) => l.includes('Validation sweep enqueued')) ?? ''),
      (l) => l !== '',
      'the sweep report',
    );
    expect(line).toMatch(/"enqueued":1\b/);
    expect(line).toMatch(/"fromConnections":1\b/);
  });
});
