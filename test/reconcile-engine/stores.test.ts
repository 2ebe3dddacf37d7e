/**
 * The reconciler's own stores on Azurite: per-cluster leases (ADR 0080), the cluster status row
 * and the delayed reconcile queue.
 */
import { QueueClient } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { parseWorkItem, workItem } from '../../shared/model/work-item.js';
import { createClusterStatusStore } from '../../shared/store/cluster-status.js';
import { createLeaseStore, type LeaseStore } from '../../shared/store/leases.js';
import { createStorageWorkQueue, visibilitySeconds } from '../../shared/store/work-queue.js';
import { useAzurite } from '../store/store-fixture.js';

const azurite = useAzurite();
const clusterId =
  '/subscriptions/00000000-0000-4000-8000-0000000000c1/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1';
let tables = 0;

/** A lease store on its own table with a clock the test moves. */
function leases(): { store: LeaseStore; advance: (ms: number) => void } {
  tables += 1;
  let now = Date.parse('2026-11-22T10:00:00.000Z');
  const store = createLeaseStore(azurite().storage, () => new Date(now), `leases${tables}`);
  return { store, advance: (ms) => (now += ms) };
}

describe('cluster leases', () => {
  it('gives a free cluster to the first holder and refuses the second while the lease runs', async () => {
    const { store } = leases();
    const first = await store.acquire(clusterId, 'instance-a', 60_000);
    const second = await store.acquire(clusterId.toUpperCase(), 'instance-b', 60_000);
    expect(first).toMatchObject({ acquired: true, coveredUntil: undefined });
    expect(second).toEqual({
      acquired: false,
      holder: 'instance-a',
      expiresAt: new Date('2026-11-22T10:01:00.000Z'),
    });
  });

  it('lets another holder take a lease that expired (a crashed instance does not block for ever)', async () => {
    const { store, advance } = leases();
    await store.acquire(clusterId, 'crashed', 60_000);
    advance(60_001);
    const taken = await store.acquire(clusterId, 'instance-b', 60_000);
    expect(taken).toMatchObject({ acquired: true, lease: { holder: 'instance-b' } });
  });

  it('renews for its holder and tells a holder that lost its lease', async () => {
    const { store, advance } = leases();
    const first = await store.acquire(clusterId, 'slow', 60_000);
    if (!first.acquired) throw new Error('expected the lease');
    advance(30_000);
    const renewed = await store.renew(first.lease, 60_000);
    expect(renewed?.expiresAt).toEqual(new Date('2026-11-22T10:01:30.000Z'));
    advance(61_000);
    expect(await store.acquire(clusterId, 'fast', 60_000)).toMatchObject({ acquired: true });
    expect(await store.renew(renewed ?? first.lease, 60_000)).toBeUndefined();
  });

  it('frees the cluster on release and remembers when the last complete reconcile started', async () => {
    const { store } = leases();
    const first = await store.acquire(clusterId, 'a', 60_000);
    if (!first.acquired) throw new Error('expected the lease');
    await store.release(first.lease, { coveredUntil: '2026-11-22T09:59:59.000Z' });
    const next = await store.acquire(clusterId, 'b', 60_000);
    expect(next).toMatchObject({ acquired: true, coveredUntil: '2026-11-22T09:59:59.000Z' });
    if (!next.acquired) throw new Error('expected the lease');
    await store.release(next.lease);
    expect(await store.acquire(clusterId, 'c', 60_000)).toMatchObject({
      coveredUntil: '2026-11-22T09:59:59.000Z',
    });
  });

  it('does nothing when a holder that lost its lease releases it', async () => {
    const { store, advance } = leases();
    const old = await store.acquire(clusterId, 'old', 1_000);
    if (!old.acquired) throw new Error('expected the lease');
    advance(2_000);
    await store.acquire(clusterId, 'new', 60_000);
    await store.release(old.lease, { coveredUntil: '2030-01-01T00:00:00.000Z' });
    expect(await store.acquire(clusterId, 'third', 60_000)).toMatchObject({ acquired: false, holder: 'new' });
  });

  it.each([2, 8])('gives the lease to exactly one of %i holders racing for it', async (holders) => {
    const { store } = leases();
    const results = await Promise.all(
      Array.from({ length: holders }, (_, i) => store.acquire(clusterId, `racer-${i}`, 60_000)),
    );
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
  });
});

describe('the cluster status row', () => {
  it('stores, reads back, replaces and removes the cluster steps', async () => {
    tables += 1;
    const store = createClusterStatusStore(azurite().storage, `clusterstatus${tables}`);
    expect(await store.get(clusterId)).toBeUndefined();
    const step = {
      name: 'HostPorts',
      result: 'Succeeded' as const,
      lastTransitionTime: '2026-11-22T10:00:00.000Z',
    };
    await store.put({ clusterId, steps: [step], updatedAt: '2026-11-22T10:00:00.000Z' });
    await store.put({
      clusterId,
      steps: [{ ...step, result: 'Failed', reasonCode: 'X'.repeat(100) }],
      updatedAt: '2026-11-22T10:05:00.000Z',
    });
    const read = await store.get(clusterId.toLowerCase());
    expect(read).toEqual({
      clusterId,
      steps: [{ ...step, result: 'Failed', reasonCode: `${'X'.repeat(61)}...` }],
      updatedAt: '2026-11-22T10:05:00.000Z',
    });
    await store.remove(clusterId);
    await store.remove(clusterId);
    expect(await store.get(clusterId)).toBeUndefined();
  });
});

describe('the delayed reconcile queue', () => {
  it.each([
    [0, 0],
    [1, 1],
    [999, 1],
    [15_000, 15],
    [30 * 24 * 3600 * 1000, 7 * 24 * 3600],
  ])('asks Storage for %i ms as %i whole seconds of invisibility', (ms, seconds) => {
    expect(visibilitySeconds(ms)).toBe(seconds);
  });

  it('puts a delayed item out of sight and an immediate one in sight, both as base64 work items', async () => {
    const queueName = `reconcile-delay-${Date.now()}`;
    const queue = createStorageWorkQueue(azurite().storage, queueName);
    const now = new Date('2026-11-22T10:00:00.000Z');
    await queue.enqueueAfter(workItem(clusterId, 'repair', now), 60_000);
    await queue.enqueue(workItem(clusterId, 'api', now));
    const client = new QueueClient(azurite().azurite.connectionString, queueName);
    const { peekedMessageItems } = await client.peekMessages({ numberOfMessages: 32 });
    expect(peekedMessageItems.map((m) => parseWorkItem(m.messageText))).toEqual([
      workItem(clusterId, 'api', now),
    ]);
    const { approximateMessagesCount } = await client.getProperties();
    expect(approximateMessagesCount).toBe(2);
  });
});
