/**
 * Event benchmarks (ADR 0090), through the real local host:
 *
 * 1. events per second `armEvents` accepts: Event Grid webhook POSTs (one event each, as Event Grid
 *    sends with maxEventsPerBatch 1) at 16 in flight, for three mixes: events we ignore (no I/O),
 *    a burst on one cluster (one claim read each; one enqueue per window), and events for
 *    distinct clusters (read, claim, enqueue, mark: four storage calls each);
 * 2. the time from a cluster-create event to its template connection converged, on the emulated
 *    world (ARM and Kubernetes emulators at 1000x, Azurite, the host with every function), with a
 *    1-second event window; add the window (15 s by default) for production.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { demoIds } from '../dev/arm/index.js';
import { startAzurite } from '../dev/azurite/index.js';
import { startFunctionsHost } from '../dev/functions-host/index.js';
import { demoIdentityClientId } from '../dev/world/demo-connection.js';
import { startEmulatedWorld } from '../dev/world/emulated-world.js';
import { loadSettings } from '../shared/runtime/settings.js';
import { createTableConnectorStore } from '../shared/store/connector-store.js';
import type { BenchSuite, BenchTable } from './types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = new URL('../../test/events/fixtures/eventgrid/', import.meta.url);

async function fixture(
  name: string,
): Promise<Record<string, unknown> & { id: string; data: Record<string, unknown>; subject: string }> {
  const [event] = JSON.parse(await readFile(new URL(`${name}.json`, fixtures), 'utf8')) as [
    Record<string, unknown> & { id: string; data: Record<string, unknown>; subject: string },
  ];
  return event;
}

async function pool(count: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function acceptedPerSecond(): Promise<BenchTable> {
  const dir = await mkdtemp(join(tmpdir(), 'events-bench-'));
  const azurite = await startAzurite();
  const host = await startFunctionsHost({
    appDir: root,
    keysFile: join(dir, 'keys.json'),
    onLog: () => {},
    env: {
      AzureWebJobsStorage: azurite.connectionString,
      CONNECTOR_EVENT_WINDOW_SECONDS: '600',
      CONNECTOR_SWEEP_SCHEDULE: '0 0 0 1 1 *',
    },
  });
  const code = host.keys.systemKeys['eventgrid_extension'] ?? '';
  const url = `${host.url}/runtime/webhooks/eventgrid?functionName=armEvents&code=${encodeURIComponent(code)}`;
  const listKeys = await fixture('storage-list-keys-action');
  const clusterWrite = await fixture('managed-cluster-write');
  const mixes: [string, (i: number) => Record<string, unknown>][] = [
    ['ignored (listKeys action)', () => ({ ...listKeys, id: randomUUID() })],
    ['one cluster (a burst: coalesced)', () => ({ ...clusterWrite, id: randomUUID() })],
    [
      'distinct clusters (each enqueued)',
      (i) => {
        const id = String(clusterWrite.subject).replace(/aks-prod-1$/, `aks-bench-${i}`);
        return {
          ...clusterWrite,
          id: randomUUID(),
          subject: id,
          data: { ...clusterWrite.data, resourceUri: id },
        };
      },
    ],
  ];
  const rows: (string | number)[][] = [];
  try {
    for (const [name, make] of mixes) {
      const count = 600;
      const latencies: number[] = [];
      let failed = 0;
      const started = performance.now();
      await pool(count, 16, async (i) => {
        const t = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
          body: JSON.stringify([make(i)]),
        });
        await response.arrayBuffer();
        if (response.status !== 202) failed += 1;
        latencies.push(performance.now() - t);
      });
      const seconds = (performance.now() - started) / 1000;
      rows.push([name, count, Math.round(count / seconds), median(latencies).toFixed(1), failed]);
    }
  } finally {
    await host.stop();
    await azurite.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return {
    title: 'Events per second armEvents accepts (local host, Azurite, 16 in flight)',
    columns: ['events', 'count', 'events/s', 'median ms', 'not 202'],
    rows,
    notes:
      'One POST per event through the Event Grid webhook of the local host (system key, Notification). ' +
      'Ignored events cost no storage call; a coalesced event one point read of its claim; ' +
      'an enqueued one a read, a claim insert, a queue message and a merge.',
  };
}

async function createToConverged(): Promise<BenchTable> {
  const world = await startEmulatedWorld({
    // Compiled, the world's default root would be dist/ (it resolves two folders up from itself).
    root,
    appSettings: { CONNECTOR_EVENT_WINDOW_SECONDS: '1', CONNECTOR_SWEEP_SCHEDULE: '0 0 0 1 1 *' },
  });
  const rows: (string | number)[][] = [];
  try {
    const connections = createTableConnectorStore(
      loadSettings({ AzureWebJobsStorage: world.azurite.connectionString }).storage,
    ).connections;
    const template = {
      properties: {
        selector: { tags: { bench: 'events' } },
        connection: {
          name: 'bench_blob',
          properties: {
            targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
            authInfo: {
              authType: 'userAssignedIdentity',
              clientId: demoIdentityClientId(world.arm, demoIds.identity),
              subscriptionId: demoIds.subscriptionId,
            },
            clientType: 'none',
            scope: 'bench',
          },
        },
      },
    };
    await fetch(`${world.host.url}/api/connectionTemplates/bench?api-version=2024-04-01`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        'x-functions-key': world.endpoints.host?.functionKey ?? '',
      },
      body: JSON.stringify(template),
    });
    const aks = new ContainerServiceClient(world.arm.credential('platform-team'), demoIds.subscriptionId, {
      endpoint: world.arm.endpoint,
    });
    const resourceGroup = demoIds.resourceGroup.split('/').at(-1) ?? '';
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const name = `aks-bench-${i}`;
      const clusterId = `${demoIds.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
      await aks.managedClusters.beginCreateOrUpdateAndWait(
        resourceGroup,
        name,
        {
          location: 'eastus',
          tags: { bench: 'events' },
          identity: { type: 'SystemAssigned' },
          dnsPrefix: name,
          agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4ds_v5' }],
        },
        { updateIntervalInMs: 5 },
      );
      // The create event is published when the operation completes, i.e. now.
      const start = performance.now();
      for (;;) {
        const c = await connections.get(clusterId, 'bench_blob');
        if (c?.provisioningState === 'Succeeded') break;
        if (performance.now() - start > 180_000) throw new Error(`${name} did not converge`);
        await new Promise((r) => setTimeout(r, 50));
      }
      samples.push(performance.now() - start);
      rows.push([name, (samples.at(-1) ?? 0).toFixed(0)]);
    }
    rows.push(['median', median(samples).toFixed(0)]);
  } finally {
    await world.stop();
  }
  return {
    title: 'Cluster-create event to converged template connection (emulated world, 1 s event window)',
    columns: ['cluster', 'ms'],
    rows,
    notes:
      'Workload identity to blob storage from a template (extension, OIDC and workload identity, federated ' +
      'credential, role assignment, firewall, Secret and ServiceAccount), ARM at 1000x emulated time. ' +
      'With the default 15 s window, add up to 15 s (the first reconcile waits for the window to close).',
  };
}

export const eventsBench: BenchSuite = {
  name: 'events',
  async run() {
    return [await acceptedPerSecond(), await createToConverged()];
  },
};
