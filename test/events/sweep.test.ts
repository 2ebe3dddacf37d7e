/**
 * The validation sweep (ADR 0091): the spread arithmetic, pure; then the timer handler over Azurite
 * and the ARM emulator (managed and connected clusters listed through the official clients).
 */
import { randomUUID } from 'node:crypto';
import functions, { type Timer } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArmEmulator, type ArmEmulator } from '../../dev/arm/index.js';
import { createValidationSweepHandler, periodUntilNext } from '../../functions/validation-sweep.js';
import { createArmClusterInventory } from '../../shared/azure/cluster-inventory.js';
import { SdkClients } from '../../shared/azure/sdk-clients.js';
import { loadEventSettings } from '../../shared/events/settings.js';
import type { SweepDeps } from '../../shared/events/sweep.js';
import { minimumSpacingMs, planSweep, type SweepBudget } from '../../shared/events/sweep-plan.js';
import { acceptPut } from '../../shared/model/connection.js';
import type { LinkerSpec } from '../../shared/model/linker-spec.js';
import { parseWorkItem } from '../../shared/model/work-item.js';
import { createTableConnectorStore } from '../../shared/store/connector-store.js';
import { createStorageEventGate } from '../../shared/store/event-dedupe.js';
import { createStorageWorkQueue } from '../../shared/store/work-queue.js';
import { validate, workloadIdentityBody } from '../model/linker-fixtures.js';
import { useAzurite } from '../store/store-fixture.js';
import { uniqueName } from './event-world.js';

const minutes = (n: number) => n * 60_000;
const budget: SweepBudget = { periodMs: minutes(30), readsPerReconcile: 20, readsPerSecond: 12 };
const sub = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const cluster = (s: number, i: number) =>
  `/subscriptions/${sub(s)}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks${String(i).padStart(5, '0')}`;
const clusters = (s: number, n: number) => Array.from({ length: n }, (_, i) => cluster(s, i));

describe('the sweep spreads its reconciles over the period', () => {
  it('spaces reconciles of one subscription at least readsPerReconcile / readsPerSecond apart', () => {
    expect(minimumSpacingMs(budget)).toBeCloseTo(1666.67, 1);
  });

  it.each([
    [
      'three clusters are spread evenly over 90% of the period',
      clusters(1, 3),
      [0, minutes(9), minutes(18)],
      true,
    ],
    ['972 clusters of one subscription just fit 30 minutes', clusters(1, 972), undefined, true],
    ['2,000 clusters of one subscription need a longer period', clusters(1, 2000), undefined, false],
  ])('%s', (_name, ids, delays, fits) => {
    const plan = planSweep(ids, budget);
    expect(plan.slots).toHaveLength(ids.length);
    if (delays !== undefined) expect(plan.slots.map((s) => s.delayMs)).toEqual(delays);
    expect(plan.fitsPeriod).toBe(fits);
    const gaps = plan.slots.slice(1).map((s, i) => s.delayMs - (plan.slots[i]?.delayMs ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(minimumSpacingMs(budget)));
    if (fits) expect(plan.spreadMs).toBeLessThanOrEqual(budget.periodMs * 0.9);
  });

  it('says which period 2,000 clusters of one subscription need: about 62 minutes', () => {
    expect(Math.round(planSweep(clusters(1, 2000), budget).neededPeriodMs / 60_000)).toBe(62);
  });

  it('paces each subscription from the start, on its own ARM bucket', () => {
    const plan = planSweep([...clusters(1, 1500), ...clusters(2, 10)], budget);
    const first = (s: number) => plan.slots.filter((slot) => slot.clusterId.includes(sub(s)));
    expect(first(2)[0]?.delayMs).toBe(0);
    expect(first(2)[1]?.delayMs).toBe(Math.round(minutes(27) / 10));
    expect(first(1)[1]?.delayMs).toBe(Math.round(minimumSpacingMs(budget)));
  });

  it('sweeps a cluster named twice (any case) once', () => {
    expect(planSweep([cluster(1, 1), cluster(1, 1).toUpperCase()], budget).slots).toHaveLength(1);
  });

  it.each([
    [
      'the schedule monitor’s next occurrence',
      { scheduleStatus: { next: '2026-11-22T10:20:00.000Z' } },
      minutes(20),
    ],
    ['the schedule when the monitor is off', { scheduleStatus: null }, minutes(30)],
  ])('takes the period from %s', (_name, timer, period) => {
    const settings = loadEventSettings({});
    expect(periodUntilNext(timer as unknown as Timer, new Date('2026-11-22T10:00:00.000Z'), settings)).toBe(
      period,
    );
  });
});

describe('the validationSweep timer', () => {
  const azurite = useAzurite();
  const swept = sub(77);
  const rg = `/subscriptions/${swept}/resourceGroups/rg-fleet`;
  const ids = {
    tagged: `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-tagged`,
    plain: `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-plain`,
    arc: `${rg}/providers/Microsoft.Kubernetes/connectedClusters/arc-tagged`,
    withConnection: `/subscriptions/${sub(78)}/resourceGroups/rg-other/providers/Microsoft.ContainerService/managedClusters/aks-conn`,
  };
  let arm: ArmEmulator;

  beforeAll(async () => {
    const aks = (tags: Record<string, string>) => ({
      location: 'eastus',
      tags,
      identity: { type: 'SystemAssigned' },
      properties: {
        dnsPrefix: 'x',
        agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4ds_v5' }],
      },
    });
    arm = await startArmEmulator({
      timeScale: 1000,
      seed: {
        subscriptions: [{ subscriptionId: swept }],
        resourceGroups: [{ subscriptionId: swept, name: 'rg-fleet', location: 'eastus' }],
        resources: [
          { id: ids.tagged, body: aks({ connector: 'on' }) },
          { id: ids.plain, body: aks({}) },
          {
            id: ids.arc,
            body: {
              location: 'eastus',
              tags: { Connector: 'on' },
              identity: { type: 'SystemAssigned' },
              properties: { agentPublicKeyCertificate: 'MIIB', distribution: 'k3s' },
            },
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await arm?.close();
  });

  function sweepWorld(subscriptionIds: string[]) {
    const storage = azurite().storage;
    const store = createTableConnectorStore(storage, {
      connections: uniqueName('connections'),
      templates: uniqueName('templates'),
      operations: uniqueName('operations'),
    });
    const queueName = uniqueName('sweep').toLowerCase();
    const deps: SweepDeps = {
      connections: store.connections,
      templates: store.templates,
      inventory: createArmClusterInventory(
        new SdkClients({ credential: arm.credential('connector'), endpoint: arm.endpoint }),
      ),
      queue: createStorageWorkQueue(storage, queueName),
      gate: createStorageEventGate(storage, uniqueName('dedupe')),
      subscriptionIds,
      clock: () => new Date('2026-11-22T10:00:00.000Z'),
    };
    const context = new functions.InvocationContext({
      invocationId: randomUUID(),
      functionName: 'validationSweep',
      logHandler: () => {},
    });
    const timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '2026-11-22T10:30:00.000Z', lastUpdated: '' },
    };
    const sweep = () =>
      createValidationSweepHandler(
        () => deps,
        () => loadEventSettings({}),
      )(timer, context);
    return { store, sweep, queue: new QueueClient(azurite().azurite.connectionString, queueName) };
  }

  async function seedStore(store: ReturnType<typeof createTableConnectorStore>) {
    const spec = validate(workloadIdentityBody()).draft as unknown as LinkerSpec;
    const now = new Date();
    await store.connections.save(
      acceptPut(
        undefined,
        { clusterId: ids.withConnection, name: 'conn', spec },
        { operationId: 'op', revision: 'r', now },
      ),
      { absent: true },
    );
    await store.templates.save(
      {
        name: 'tagged-fleet',
        spec: { selector: { tags: { connector: 'on' } }, connection: { name: 'blob', properties: spec } },
        revision: 'r',
        createdAt: now.toISOString(),
        lastModifiedAt: now.toISOString(),
      },
      { absent: true },
    );
  }

  it('enqueues clusters with connections and the swept subscriptions’ clusters a template matches', async () => {
    const { store, sweep, queue } = sweepWorld([swept]);
    await seedStore(store);
    const report = await sweep();
    expect(report).toMatchObject({
      fromConnections: 1,
      fromTemplates: 2,
      enqueued: 3,
      failedSubscriptions: [],
    });
    expect(report.plan.slots.map((s) => s.clusterId.toLowerCase()).sort()).toEqual(
      [ids.arc, ids.tagged, ids.withConnection].map((i) => i.toLowerCase()).sort(),
    );
    expect((await queue.getProperties()).approximateMessagesCount).toBe(3);
    // The first slot of each subscription is due at once; it carries cause 'sweep'.
    const visible = (await queue.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems;
    expect(visible.map((m) => parseWorkItem(m.messageText)?.cause)).toEqual(['sweep', 'sweep']);
  });

  it('reports a subscription it cannot list and still sweeps the rest', async () => {
    const { store, sweep } = sweepWorld([sub(99), swept]);
    await seedStore(store);
    const report = await sweep();
    expect(report.failedSubscriptions).toEqual([sub(99)]);
    expect(report.enqueued).toBe(3);
  });

  it('lists no subscription when there is no template (no ARM reads for nothing)', async () => {
    const { sweep } = sweepWorld([swept]);
    arm.requestLog.clear();
    const report = await sweep();
    expect(report.enqueued).toBe(0);
    expect(arm.requestLog.entries().length).toBe(0);
  });
});
