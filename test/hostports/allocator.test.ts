import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalError } from '../../shared/errors/index.js';
import { createHostPortAllocator } from '../../shared/hostports/allocator.js';
import { emptyBits, withBits } from '../../shared/hostports/bitmap.js';
import { autoAssignRange } from '../../shared/hostports/types.js';
import { startAzuriteTables, type AzuriteTables } from './azurite.js';
import { freshPartition, hostPortStore, inParallel, takenPorts, tcp, udp } from './store-helpers.js';

let azurite: AzuriteTables;
beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(async () => {
  await azurite?.stop();
});

function lease(partition: string, name: string, requests = [tcp(8080)]) {
  return { partition, leaseId: `default/${name}`, namespace: 'default', podName: name, requests };
}

async function refusal(promise: Promise<unknown>): Promise<TerminalError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof TerminalError) return error;
  throw new Error(`expected a TerminalError, got ${String(error)}`);
}

describe('allocation', () => {
  it('hands out distinct ports in range to many concurrent pods, and the store agrees', async () => {
    const store = hostPortStore(azurite);
    const allocator = createHostPortAllocator(store);
    const partition = freshPartition();
    const results = await inParallel(100, 10, (i) => allocator.allocate(lease(partition, `pod-${i}`)));
    const ports = results.map((r) => r.ports[0]?.hostPort ?? 0);
    expect(new Set(ports).size).toBe(100);
    expect(ports.every((p) => p >= 40000 && p <= 59999)).toBe(true);
    expect(await takenPorts(store, partition, 'TCP', autoAssignRange)).toEqual(
      [...ports].sort((a, b) => a - b),
    );
    const leases = await store.listLeases(partition);
    expect(leases.map((l) => l.ports[0]?.hostPort).sort()).toEqual([...ports].sort());
  });

  it('keeps two instances with separate views from handing out the same port', async () => {
    const store = hostPortStore(azurite);
    // A small range (10 blocks) makes the instances meet on blocks: each one's view goes stale.
    const range = { start: 40000, end: 40999 };
    const a = createHostPortAllocator(store, { range });
    const b = createHostPortAllocator(store, { range });
    const partition = freshPartition();
    const results = await inParallel(80, 8, (i) =>
      (i % 2 === 0 ? a : b).allocate(lease(partition, `pod-${i}`)),
    );
    const ports = results.map((r) => r.ports[0]?.hostPort);
    expect(new Set(ports).size).toBe(80);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    expect(await takenPorts(store, partition, 'TCP', range)).toHaveLength(80);
  });

  it('gives a multi-port pod distinct ports in one transaction, TCP and UDP from their own bitmaps', async () => {
    const store = hostPortStore(azurite);
    const allocator = createHostPortAllocator(store);
    const partition = freshPartition();
    const result = await allocator.allocate(lease(partition, 'game-0', [tcp(8080), tcp(8443), udp(7777)]));
    expect(result.ports.map((p) => [p.containerPort, p.protocol])).toEqual([
      [8080, 'TCP'],
      [8443, 'TCP'],
      [7777, 'UDP'],
    ]);
    expect(new Set(result.ports.filter((p) => p.protocol === 'TCP').map((p) => p.hostPort)).size).toBe(2);
    expect(await takenPorts(store, partition, 'UDP', autoAssignRange)).toEqual([result.ports[2]?.hostPort]);
  });

  it('makes ports unique per protocol: the same number may serve TCP and UDP', async () => {
    const store = hostPortStore(azurite);
    const allocator = createHostPortAllocator(store, { range: { start: 40000, end: 40000 } });
    const partition = freshPartition();
    const first = await allocator.allocate(lease(partition, 'a', [tcp(80)]));
    const second = await allocator.allocate(lease(partition, 'b', [udp(53)]));
    expect([first.ports[0]?.hostPort, second.ports[0]?.hostPort]).toEqual([40000, 40000]);
    const error = await refusal(allocator.allocate(lease(partition, 'c', [tcp(81)])));
    expect(error.reason).toBe('HostPortRangeExhausted');
  });

  it('costs one store call per allocation once warm, even with 95% of the range taken', async () => {
    const store = hostPortStore(azurite);
    const partition = freshPartition();
    // Take 95 ports of every 100-port block straight in the store.
    const full = withBits(
      emptyBits(),
      Array.from({ length: 95 }, (_, i) => i),
      [],
    );
    await inParallel(200, 20, (index) =>
      store.commit(partition, [{ protocol: 'TCP', index, bits: full, etag: undefined }]),
    );
    // A long view lifetime: a slow machine must not turn a warm call into a reload.
    const allocator = createHostPortAllocator(store, { hintTtlMs: 3_600_000 });
    const cold = await allocator.allocate(lease(partition, 'cold'));
    const warm = await inParallel(20, 1, (i) => allocator.allocate(lease(partition, `warm-${i}`)));
    expect(cold.storeCalls).toBe(2); // one query of the blocks, one transaction
    expect(warm.map((w) => w.storeCalls)).toEqual(new Array(20).fill(1));
    expect(warm.every((w) => (w.ports[0]?.hostPort ?? 0) % 100 >= 95)).toBe(true);
  });
});

describe('idempotency', () => {
  it('gives a named pod the same ports when its admission is retried', async () => {
    const allocator = createHostPortAllocator(hostPortStore(azurite));
    const partition = freshPartition();
    const first = await allocator.allocate(lease(partition, 'web-0', [tcp(80), udp(53)]));
    const again = await allocator.allocate(lease(partition, 'web-0', [tcp(80), udp(53)]));
    expect(first.outcome).toBe('created');
    expect(again.outcome).toBe('reused');
    expect(again.ports).toEqual(first.ports);
  });

  it('gives the same ports to the same pod through another instance', async () => {
    const store = hostPortStore(azurite);
    const partition = freshPartition();
    const first = await createHostPortAllocator(store).allocate(lease(partition, 'web-0'));
    const again = await createHostPortAllocator(store).allocate(lease(partition, 'web-0'));
    expect(again.ports).toEqual(first.ports);
  });

  it('keeps the ports a re-created pod still asks for and frees the others', async () => {
    const store = hostPortStore(azurite);
    const allocator = createHostPortAllocator(store);
    const partition = freshPartition();
    const first = await allocator.allocate(lease(partition, 'web-0', [tcp(80), tcp(443)]));
    const changed = await allocator.allocate(lease(partition, 'web-0', [tcp(80), tcp(8080)]));
    expect(changed.outcome).toBe('updated');
    expect(changed.ports[0]).toEqual(first.ports[0]);
    const taken = await takenPorts(store, partition, 'TCP', autoAssignRange);
    expect(taken).toEqual([changed.ports[0]?.hostPort, changed.ports[1]?.hostPort].sort());
    expect(taken).not.toContain(first.ports[1]?.hostPort);
  });

  it('gives pods named by generateName (one lease per admission request) their own ports', async () => {
    const allocator = createHostPortAllocator(hostPortStore(azurite));
    const partition = freshPartition();
    const one = await allocator.allocate({
      ...lease(partition, 'x'),
      leaseId: 'default/~uid-1',
      podName: undefined,
    });
    const two = await allocator.allocate({
      ...lease(partition, 'x'),
      leaseId: 'default/~uid-2',
      podName: undefined,
    });
    expect(one.ports[0]?.hostPort).not.toBe(two.ports[0]?.hostPort);
  });
});

describe('exhaustion and release', () => {
  const range = { start: 40000, end: 40019 };

  it('refuses the pod after the last port, saying what is exhausted and what to do', async () => {
    const allocator = createHostPortAllocator(hostPortStore(azurite), { range });
    const partition = freshPartition();
    const results = await inParallel(20, 5, (i) => allocator.allocate(lease(partition, `pod-${i}`)));
    expect(new Set(results.map((r) => r.ports[0]?.hostPort)).size).toBe(20);
    const error = await refusal(allocator.allocate(lease(partition, 'one-too-many')));
    expect(error.reason).toBe('HostPortRangeExhausted');
    expect(error.message).toBe(
      'no free TCP host port in 40000-40019: all 20 are assigned in this cluster (the pod needs 1)',
    );
    expect(error.mitigation).toContain('the repair pass releases the ports of deleted pods');
  });

  it('refuses a pod that needs more ports than are left, taking none of them', async () => {
    const store = hostPortStore(azurite);
    const allocator = createHostPortAllocator(store, { range });
    const partition = freshPartition();
    await inParallel(19, 5, (i) => allocator.allocate(lease(partition, `pod-${i}`)));
    const error = await refusal(allocator.allocate(lease(partition, 'pair', [tcp(1), tcp(2)])));
    expect(error.message).toBe(
      'not enough free TCP host ports in 40000-40019: the pod needs 2 and only 1 of 20 is free in this cluster',
    );
    expect(await takenPorts(store, partition, 'TCP', range)).toHaveLength(19);
  });

  it('hands a released port out again', async () => {
    const store = hostPortStore(azurite);
    const allocator = createHostPortAllocator(store, { range });
    const partition = freshPartition();
    const results = await inParallel(20, 5, (i) => allocator.allocate(lease(partition, `pod-${i}`)));
    expect(await allocator.release(partition, 'default/pod-7')).toBe(true);
    expect(await store.readLease(partition, 'default/pod-7')).toBeUndefined();
    const next = await allocator.allocate(lease(partition, 'newcomer'));
    expect(next.ports[0]?.hostPort).toBe(results[7]?.ports[0]?.hostPort);
  });

  it('sees ports released by another instance when its own view says the range is full', async () => {
    const store = hostPortStore(azurite);
    const a = createHostPortAllocator(store, { range });
    const b = createHostPortAllocator(store, { range });
    const partition = freshPartition();
    await inParallel(20, 5, (i) => a.allocate(lease(partition, `pod-${i}`)));
    await b.release(partition, 'default/pod-3');
    expect((await a.allocate(lease(partition, 'newcomer'))).ports).toHaveLength(1);
  });

  it.each([
    ['an unknown lease', undefined, 'default/nobody'],
    ['a lease that changed since it was read', 'W/"datetime\'2000-01-01T00%3A00%3A00Z\'"', 'default/pod-0'],
  ])('releases nothing for %s', async (_name, etag, leaseId) => {
    const store = hostPortStore(azurite);
    const allocator = createHostPortAllocator(store, { range });
    const partition = freshPartition();
    await allocator.allocate(lease(partition, 'pod-0'));
    expect(await allocator.release(partition, leaseId, etag)).toBe(false);
    expect(await takenPorts(store, partition, 'TCP', range)).toHaveLength(1);
  });
});
