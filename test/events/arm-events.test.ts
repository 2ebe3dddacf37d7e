/**
 * The `armEvents` handler with real-shaped ARM events in both schemas, over Azurite: each event
 * kind becomes the right work items; malformed events are acknowledged with a reason; duplicates,
 * reordering and bursts collapse per cluster and window (ADR 0090).
 */
import { randomUUID } from 'node:crypto';
import functions from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createArmEventsHandler } from '../../functions/arm-events.js';
import { parseWorkItem } from '../../shared/model/work-item.js';
import type { DependencyIndex } from '../../shared/store/dependency-index.js';
import { useAzurite } from '../store/store-fixture.js';
import { dependencyIndexOn, eventBench, uniqueName } from './event-world.js';
import { eventGridEvent, fixtureEvent, ids, schemas, type Schema } from './fixtures.js';

const azurite = useAzurite();
let index: DependencyIndex;

beforeAll(async () => {
  index = dependencyIndexOn(azurite().storage);
  // What the reconciler would have recorded: aks-prod-1 egresses through a node public IP, a
  // prefix and a NAT gateway, targets storage, SQL and Key Vault with a workload identity;
  // arc-store-7 targets the same storage account.
  await index.record(ids.aks, [
    { resourceId: ids.publicIp, role: 'egress' },
    { resourceId: ids.prefix, role: 'egress' },
    { resourceId: ids.natGateway, role: 'egress' },
    { resourceId: ids.storage, role: 'target' },
    { resourceId: ids.sql, role: 'target' },
    { resourceId: ids.keyVault, role: 'target' },
    { resourceId: ids.identity, role: 'identity' },
  ]);
  await index.record(ids.arc, [{ resourceId: ids.storage, role: 'target' }]);
});

const bench = (options: { windowMs?: number } = {}) =>
  eventBench(azurite().azurite.connectionString, azurite().storage, index, options);
const sorted = (list: readonly string[]) => list.map((i) => i.toLowerCase()).sort();

const work: [string, string, string[]][] = [
  ['a managed cluster write reconciles the cluster', 'managed-cluster-write', [ids.aks]],
  ['a managed cluster delete reconciles the cluster (it finds it gone)', 'managed-cluster-delete', [ids.aks]],
  ['a node pool write reconciles its cluster', 'agent-pool-write', [ids.aks]],
  ['a node pool delete reconciles its cluster', 'agent-pool-delete', [ids.aks]],
  ['a connected cluster write reconciles the cluster', 'connected-cluster-write', [ids.arc]],
  ['a connected cluster delete reconciles the cluster', 'connected-cluster-delete', [ids.arc]],
  ['a public IP write reconciles the clusters egressing through it', 'public-ip-write', [ids.aks]],
  ['a public IP delete reconciles the clusters egressing through it', 'public-ip-delete', [ids.aks]],
  ['a public IP prefix write reconciles its clusters', 'public-ip-prefix-write', [ids.aks]],
  ['a public IP prefix delete reconciles its clusters', 'public-ip-prefix-delete', [ids.aks]],
  ['a NAT gateway write reconciles its clusters', 'nat-gateway-write', [ids.aks]],
  ['a target write reconciles every cluster connected to it', 'storage-account-write', [ids.aks, ids.arc]],
  ['a write under a target reconciles its clusters', 'storage-blob-service-write', [ids.aks, ids.arc]],
  ['a deleted firewall rule on a SQL server reconciles its clusters', 'sql-firewall-rule-delete', [ids.aks]],
  ['a deleted key vault reconciles its clusters', 'key-vault-delete', [ids.aks]],
  ['a deleted sc-extension reconciles its cluster', 'extension-delete-connector', [ids.aks]],
  [
    'a role assignment deleted on a target reconciles its clusters',
    'role-assignment-delete',
    [ids.aks, ids.arc],
  ],
  [
    'a deleted federated credential reconciles the identity’s clusters',
    'federated-credential-delete',
    [ids.aks],
  ],
  ['a deleted identity reconciles its clusters', 'user-assigned-identity-delete', [ids.aks]],
  ['another extension’s delete is no work', 'extension-delete-flux', []],
  ['listKeys is no work', 'storage-list-keys-action', []],
  ['a cluster credential action is no work', 'cluster-user-credential-action', []],
  ['a deployment write is no work', 'deployment-write', []],
  ['a failed write is no work', 'managed-cluster-write-failure', []],
];

describe('armEvents turns each kind of ARM event into work', () => {
  describe.each(schemas)('delivered in the %s', (schema: Schema) => {
    it.each(work)('%s', async (_name, fixture, clusters) => {
      const b = bench();
      const outcome = await b.deliver(fixtureEvent(fixture, schema));
      expect(outcome.outcome === 'handled' ? sorted(outcome.enqueued) : []).toEqual(sorted(clusters));
      expect(await b.count()).toBe(clusters.length);
    });
  });

  it('enqueues a work item that carries only the cluster key, visible once the window closes', async () => {
    const b = bench({ windowMs: 60_000 });
    const at = new Date('2026-11-20T10:15:59.000Z'); // 1 s before the window closes
    await b.deliver(eventGridEvent('agent-pool-write'), at);
    let message: { messageText: string } | undefined;
    for (let i = 0; i < 100 && message === undefined; i++) {
      message = (await b.queue.receiveMessages({ numberOfMessages: 1 })).receivedMessageItems[0];
      if (message === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    const item = parseWorkItem(message?.messageText);
    expect(item).toEqual({
      v: 1,
      clusterId: expect.stringMatching(/aks-prod-1$/) as string,
      cause: 'event',
      requestedAt: at.toISOString(),
    });
  });

  it('keeps the reconcile invisible while the window is open', async () => {
    const b = bench({ windowMs: 600_000 });
    await b.deliver(eventGridEvent('agent-pool-write'), new Date(Math.floor(Date.now() / 600_000) * 600_000));
    expect(await b.count()).toBe(1);
    expect((await b.queue.peekMessages()).peekedMessageItems).toEqual([]);
  });
});

describe('delivery realities', () => {
  it('gives the same event delivered five times one reconcile', async () => {
    const b = bench();
    const event = eventGridEvent('managed-cluster-write');
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await b.deliver(structuredClone(event)));
    expect(outcomes.map((o) => (o.outcome === 'handled' ? o.enqueued.length : -1))).toEqual([1, 0, 0, 0, 0]);
    expect(await b.count()).toBe(1);
  });

  it.each([
    ['a delete before the write', ['managed-cluster-delete', 'managed-cluster-write']],
    ['the write before the delete', ['managed-cluster-write', 'managed-cluster-delete']],
  ])('gives %s the same single reconcile, which re-reads the truth', async (_name, order) => {
    const b = bench();
    for (const name of order) await b.deliver(eventGridEvent(name));
    expect(await b.count()).toBe(1);
  });

  it('collapses a 200-event burst over 40 seconds into one reconcile per 15-second window', async () => {
    const b = bench({ windowMs: 15_000 });
    const start = Date.parse('2026-11-20T10:15:07.000Z');
    const kinds = ['agent-pool-write', 'managed-cluster-write', 'public-ip-write', 'nat-gateway-write'];
    const windows = new Set<number>();
    const times: number[] = [];
    for (let i = 0; i < 200; i++) times.push(start + i * 200);
    for (let batch = 0; batch < 200; batch += 25) {
      await Promise.all(
        times.slice(batch, batch + 25).map(async (t, j) => {
          windows.add(Math.floor(t / 15_000));
          // A burst is many events (each its own id): node pool, cluster and IP writes of one cluster.
          const event = eventGridEvent(kinds[(batch + j) % kinds.length] as string);
          event.id = randomUUID();
          await b.deliver(event, new Date(t));
        }),
      );
    }
    expect(windows.size).toBe(4); // 10:15:07 to 10:15:47 touches the windows at :00, :15, :30 and :45
    expect(await b.count()).toBe(windows.size);
  });

  it('throws when the enqueue fails, so Event Grid redelivers, and the redelivery enqueues', async () => {
    const event = eventGridEvent('agent-pool-write');
    const at = Date.parse('2026-11-20T10:15:01.000Z');
    const dedupeTable = uniqueName('dedupe');
    const { connectionString } = azurite().azurite;
    // The same dedupe table behind both; first a queue that storage refuses (an invalid name).
    const failing = eventBench(connectionString, azurite().storage, index, {
      windowMs: 60_000,
      queueName: 'Not_A_Valid_Queue',
      dedupeTable,
    });
    const working = eventBench(connectionString, azurite().storage, index, { windowMs: 60_000, dedupeTable });
    await expect(failing.deliver(structuredClone(event), new Date(at))).rejects.toThrow(/queue/i);
    // Event Grid's first retry comes 10 s later; a duplicate of the delivered event after that.
    const redelivered = await working.deliver(structuredClone(event), new Date(at + 10_000));
    const duplicate = await working.deliver(structuredClone(event), new Date(at + 12_000));
    expect([redelivered, duplicate].map((o) => (o.outcome === 'handled' ? o.enqueued.length : -1))).toEqual([
      1, 0,
    ]);
    expect(await working.count()).toBe(1);
  });

  it('gives five concurrent deliveries of one event one reconcile', async () => {
    const b = bench();
    const event = eventGridEvent('agent-pool-write');
    const at = new Date();
    await Promise.all([1, 2, 3, 4, 5].map(() => b.deliver(structuredClone(event), at)));
    expect(await b.count()).toBe(1);
  });
});

describe('malformed and foreign events', () => {
  const noDeps = () => {
    throw new Error('an event that is no work must not need storage');
  };
  const handler = createArmEventsHandler(noDeps);

  async function run(event: unknown) {
    const logs: string[] = [];
    const context = new functions.InvocationContext({
      invocationId: 'test',
      functionName: 'armEvents',
      logHandler: (level, ...args) => logs.push(`${level} ${args.map(String).join(' ')}`),
    });
    return { outcome: await handler(event, context), logs };
  }

  it.each([
    [
      'an event without data.resourceUri',
      () => {
        const e = eventGridEvent('agent-pool-write');
        delete e.data['resourceUri'];
        return e;
      },
      /data\.resourceUri/,
    ],
    [
      'an event that is not in either schema',
      () => ({ hello: 'world', data: {} }),
      /missing required property/,
    ],
    ['a batch instead of one event', () => [eventGridEvent('agent-pool-write')], /not a JSON object/],
  ])('acknowledges %s with the reason, without storage, and logs no claims', async (_name, make, reason) => {
    const { outcome, logs } = await run(make());
    expect(outcome).toMatchObject({ outcome: 'malformed', reason: expect.stringMatching(reason) as string });
    expect(logs.join('\n')).toMatch(reason);
    expect(logs.join('\n')).not.toMatch(/Dana|203\.0\.113\.24|claims/);
  });

  it.each(schemas)('ignores an action in the %s without storage', async (schema) => {
    const { outcome } = await run(fixtureEvent('storage-list-keys-action', schema));
    expect(outcome.outcome).toBe('ignored');
  });
});
