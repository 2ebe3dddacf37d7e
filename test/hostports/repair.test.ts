import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostPortAllocator } from '../../shared/hostports/allocator.js';
import { emptyBits, withBits } from '../../shared/hostports/bitmap.js';
import { formatAssignedPorts } from '../../shared/hostports/mutator.js';
import { repairHostPorts, type LivePod } from '../../shared/hostports/repair.js';
import { assignedAnnotation, leaseAnnotation, type AssignedHostPort } from '../../shared/hostports/types.js';
import { startAzuriteTables, type AzuriteTables } from './azurite.js';
import { freshPartition, hostPortStore, takenPorts, tcp } from './store-helpers.js';

let azurite: AzuriteTables;
beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(async () => {
  await azurite?.stop();
});

const minute = 60_000;
const t0 = Date.parse('2026-11-22T10:00:00Z');
const range = { start: 40000, end: 40049 };

/** A clock the test moves by hand. */
function clock(start: number): { now: () => number; set: (t: number) => void } {
  let time = start;
  return { now: () => time, set: (t) => (time = t) };
}

function world() {
  const store = hostPortStore(azurite);
  const time = clock(t0);
  const allocator = createHostPortAllocator(store, { range, now: time.now });
  const partition = freshPartition();
  const allocate = (name: string, generated?: string) =>
    allocator.allocate({
      partition,
      leaseId: generated === undefined ? `default/${name}` : `default/~${generated}`,
      namespace: 'default',
      podName: generated === undefined ? name : undefined,
      requests: [tcp(8080)],
    });
  return { store, time, allocator, partition, allocate };
}

function livePod(name: string, leaseId?: string, ports?: readonly AssignedHostPort[]): LivePod {
  const annotations: Record<string, string> = {};
  if (leaseId !== undefined) annotations[leaseAnnotation] = leaseId;
  if (ports !== undefined) annotations[assignedAnnotation] = formatAssignedPorts(ports);
  return { namespace: 'default', name, annotations };
}

describe('repairHostPorts', () => {
  it('releases the leases of pods that are gone, and only those', async () => {
    const { store, time, allocator, partition, allocate } = world();
    const kept = await allocate('kept');
    await allocate('gone-1');
    await allocate('gone-2');
    time.set(t0 + 10 * minute);
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [livePod('kept')],
      listedAt: t0 + 10 * minute,
      graceMs: 2 * minute,
      now: time.now,
    });
    expect(report.live).toBe(1);
    expect([...report.released].sort()).toEqual(['default/gone-1', 'default/gone-2']);
    expect(await takenPorts(store, partition, 'TCP', range)).toEqual([kept.ports[0]?.hostPort]);
    expect((await store.listLeases(partition)).map((l) => l.id)).toEqual(['default/kept']);
  });

  it('keeps leases younger than the grace period: their pods may still be being created', async () => {
    const { store, time, allocator, partition, allocate } = world();
    await allocate('old');
    time.set(t0 + 9 * minute);
    await allocate('new');
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [],
      listedAt: t0 + 10 * minute,
      graceMs: 2 * minute,
    });
    expect(report.released).toEqual(['default/old']);
    expect(report.young).toEqual(['default/new']);
    expect(await takenPorts(store, partition, 'TCP', range)).toHaveLength(1);
  });

  it('counts the grace from when the caller listed the pods, not from when the pass runs', async () => {
    const { store, allocator, partition, allocate } = world();
    await allocate('recent');
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [],
      listedAt: t0 + minute, // the list was taken a minute after the allocation...
      graceMs: 2 * minute,
      now: () => t0 + 60 * minute, // ...even if the pass runs much later
    });
    expect(report.young).toEqual(['default/recent']);
  });

  it('counts the grace from the last time a retried admission was given the lease', async () => {
    const { store, time, allocator, partition, allocate } = world();
    await allocate('web-0');
    time.set(t0 + 9 * minute);
    await allocate('web-0'); // the same named pod created again: the lease is renewed
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [],
      listedAt: t0 + 10 * minute,
      graceMs: 2 * minute,
    });
    expect(report.young).toEqual(['default/web-0']);
  });

  it('matches pods named by generateName through the lease annotation on the pod', async () => {
    const { store, time, allocator, partition, allocate } = world();
    await allocate('', 'uid-live');
    await allocate('', 'uid-gone');
    time.set(t0 + 10 * minute);
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [livePod('echoserver-hostport-75dc8d8855-4gjfc', 'default/~uid-live')],
      listedAt: t0 + 10 * minute,
      graceMs: 2 * minute,
    });
    expect(report.live).toBe(1);
    expect(report.released).toEqual(['default/~uid-gone']);
  });

  it('rebuilds a lease the store lost from the pod that still holds its ports', async () => {
    const { store, time, allocator, partition } = world();
    const ports = [{ container: 'app', containerPort: 8080, protocol: 'TCP' as const, hostPort: 40007 }];
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [livePod('survivor', 'default/~uid-lost', ports)],
      listedAt: t0,
      now: time.now,
    });
    expect(report.reclaimed).toEqual(['default/~uid-lost']);
    expect((await store.readLease(partition, 'default/~uid-lost'))?.ports).toEqual(ports);
    expect(await takenPorts(store, partition, 'TCP', range)).toEqual([40007]);
  });

  it('reports, and does not take, a port that a pod claims but the store gives to another lease', async () => {
    const { store, time, allocator, partition, allocate } = world();
    const holder = await allocate('holder');
    const claimed = [{ ...holder.ports[0]!, container: 'app' }];
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [livePod('holder'), livePod('copycat', 'default/copycat', claimed)],
      listedAt: t0,
      now: time.now,
    });
    expect(report.reclaimed).toEqual([]);
    expect(report.conflicts).toEqual([
      {
        leaseId: 'default/copycat',
        protocol: 'TCP',
        hostPort: holder.ports[0]?.hostPort,
        heldBy: 'default/holder',
      },
    ]);
    expect(await store.readLease(partition, 'default/copycat')).toBeUndefined();
  });

  it('reports a lease that two live pods name (a copied manifest), keeping the lease', async () => {
    const { store, time, allocator, partition, allocate } = world();
    const original = await allocate('', 'uid-original');
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [
        livePod('echo-abcde', 'default/~uid-original', original.ports),
        livePod('echo-copy', 'default/~uid-original', original.ports),
      ],
      listedAt: t0,
      now: time.now,
    });
    expect(report.sharedLeases).toEqual([
      { leaseId: 'default/~uid-original', pods: ['default/echo-abcde', 'default/echo-copy'] },
    ]);
    expect(report.live).toBe(1);
    expect(await takenPorts(store, partition, 'TCP', range)).toEqual([original.ports[0]?.hostPort]);
  });

  it('frees bits that no lease names and restores bits a lease names', async () => {
    const { store, time, allocator, partition, allocate } = world();
    const live = await allocate('live');
    const at = (live.ports[0]?.hostPort ?? 0) - range.start;
    // Corrupt block 0: drop the live lease's bit, set two bits nobody holds.
    const block = await store.readBlock(partition, 'TCP', 0);
    const leaked = [0, 1, 2].filter((b) => b !== at).slice(0, 2);
    await store.commit(partition, [{ ...block, bits: withBits(emptyBits(), leaked, []) }]);
    const report = await repairHostPorts(store, allocator, partition, {
      livePods: [livePod('live')],
      listedAt: t0,
      now: time.now,
    });
    expect(report.leakedPortsFreed).toBe(2);
    expect(report.missingPortsRestored).toBe(1);
    expect(await takenPorts(store, partition, 'TCP', range)).toEqual([live.ports[0]?.hostPort]);
  });

  it('changes nothing on a second pass', async () => {
    const { store, time, allocator, partition, allocate } = world();
    await allocate('a');
    await allocate('b');
    time.set(t0 + 10 * minute);
    const options = { livePods: [livePod('a')], listedAt: t0 + 10 * minute, graceMs: 2 * minute };
    await repairHostPorts(store, allocator, partition, options);
    expect(await repairHostPorts(store, allocator, partition, options)).toEqual({
      live: 1,
      young: [],
      released: [],
      skipped: [],
      tombstonesRemoved: 0,
      reclaimed: [],
      conflicts: [],
      sharedLeases: [],
      leakedPortsFreed: 0,
      missingPortsRestored: 0,
    });
  });
});
