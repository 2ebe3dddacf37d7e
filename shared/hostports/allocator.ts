/**
 * Cluster-unique host-port allocation over a HostPortStateStore (ADR 0040).
 *
 * One allocation is one atomic store transaction: the chosen blocks (each conditional on its ETag,
 * or insert-if-not-exists) plus the pod's lease (insert-if-not-exists, or conditional replace). Two
 * instances that pick the same block race on its ETag and one of them retries; so no port is ever
 * handed out twice, and a port is never set without a lease naming it (nor the reverse).
 */
import { RetryableError, TerminalError } from '../errors/index.js';
import {
  blockKey,
  isConcurrentUpdate,
  type BlockWrite,
  type HostPortStateStore,
  type LeaseData,
  type LeaseWrite,
  type StoredBlock,
  type StoredLease,
} from './allocation-store.js';
import {
  blockCapacity,
  layoutOf,
  locatePort,
  pickFreeBits,
  portAt,
  withBits,
  type RangeLayout,
} from './bitmap.js';
import { BlockHints } from './block-hints.js';
import {
  autoAssignRange,
  maxPortsPerPod,
  protocols,
  type AssignedHostPort,
  type HostPortRequest,
  type PortInterval,
  type Protocol,
} from './types.js';

export interface AllocatorOptions {
  /** The range to allocate from; every instance sharing a store must use the same one. */
  readonly range?: PortInterval;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Optimistic attempts before giving up with a RetryableError (default 12). */
  readonly maxAttempts?: number;
  /** How long a loaded block view is trusted before a reload (default 30 s). */
  readonly hintTtlMs?: number;
  /** After seeing another writer's change, read blocks before writing them for this long (default 10 s). */
  readonly contentionWindowMs?: number;
}

export interface AllocationRequest {
  /** The cluster's partition (its clusterRef). */
  readonly partition: string;
  readonly leaseId: string;
  readonly namespace: string;
  readonly podName: string | undefined;
  readonly requests: readonly HostPortRequest[];
}

export interface Allocation {
  readonly leaseId: string;
  /** In request order. */
  readonly ports: readonly AssignedHostPort[];
  /** `reused`: the lease already held exactly these ports (a retried admission). */
  readonly outcome: 'created' | 'reused' | 'updated';
  /** Store round trips this call made, and optimistic attempts (for the benchmark and logs). */
  readonly storeCalls: number;
  readonly attempts: number;
}

export interface HostPortAllocator {
  readonly layout: RangeLayout;
  allocate(request: AllocationRequest): Promise<Allocation>;
  /**
   * Frees a lease's ports. With `expectedEtag`, only if the lease is unchanged since it was read
   * (the repair pass must not release a lease that was renewed meanwhile). False if nothing was freed.
   */
  release(partition: string, leaseId: string, expectedEtag?: string): Promise<boolean>;
}

interface PlannedBlock {
  readonly base: StoredBlock;
  readonly set: number[];
  readonly clear: number[];
}

/** Counts store round trips made on behalf of one call. */
function counting(store: HostPortStateStore): { store: HostPortStateStore; calls: () => number } {
  let calls = 0;
  const wrap =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls++;
      return f(...args);
    };
  return {
    calls: () => calls,
    store: {
      readBlocks: wrap(store.readBlocks.bind(store)),
      readBlock: wrap(store.readBlock.bind(store)),
      readLease: wrap(store.readLease.bind(store)),
      listLeases: wrap(store.listLeases.bind(store)),
      commit: wrap(store.commit.bind(store)),
      deleteLease: wrap(store.deleteLease.bind(store)),
    },
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function requestKey(r: HostPortRequest): string {
  return `${r.container}|${r.containerPort}|${r.protocol}`;
}

function validate(request: AllocationRequest): void {
  const keys = new Set(request.requests.map(requestKey));
  if (request.requests.length === 0 || keys.size !== request.requests.length) {
    throw new TerminalError('host-port allocation needs distinct container ports', {
      reason: 'InvalidRequest',
    });
  }
  if (request.requests.length > maxPortsPerPod) {
    throw new TerminalError(`a pod may ask for at most ${maxPortsPerPod} host ports`, {
      reason: 'TooManyPorts',
    });
  }
  if (request.leaseId === '' || request.partition === '') {
    throw new TerminalError('host-port allocation needs a partition and a lease id', {
      reason: 'InvalidRequest',
    });
  }
}

export function createHostPortAllocator(
  baseStore: HostPortStateStore,
  options: AllocatorOptions = {},
): HostPortAllocator {
  const layout = layoutOf(options.range ?? autoAssignRange);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 12;
  const hints = new BlockHints(layout, options.hintTtlMs ?? 30_000, now);
  const contendedUntil = new Map<string, number>();
  const contentionWindowMs = options.contentionWindowMs ?? 10_000;

  function exhausted(protocol: Protocol, needed: number, free: number): TerminalError {
    const size = layout.end - layout.start + 1;
    const range = `${layout.start}-${layout.end}`;
    const message =
      free === 0
        ? `no free ${protocol} host port in ${range}: all ${size} are assigned in this cluster (the pod needs ${needed})`
        : `not enough free ${protocol} host ports in ${range}: the pod needs ${needed} and only ${free} of ${size} ${free === 1 ? 'is' : 'are'} free in this cluster`;
    return new TerminalError(message, {
      reason: 'HostPortRangeExhausted',
      mitigation:
        'Delete pods that use auto-assigned host ports; the repair pass releases the ports of deleted pods.',
    });
  }

  /** Picks `count` free ports of one protocol into `plan`; reads blocks first when others are writing. */
  async function pick(
    store: HostPortStateStore,
    partition: string,
    protocol: Protocol,
    count: number,
    plan: Map<string, PlannedBlock>,
  ): Promise<void> {
    let remaining = count;
    let reloaded = false;
    const tried = new Set<number>();
    if (!hints.isFresh(partition, protocol)) {
      await hints.load(store, partition, protocol);
      reloaded = true;
    }
    while (remaining > 0) {
      if (hints.totalFree(partition, protocol, tried) < remaining) {
        if (reloaded) throw exhausted(protocol, count, hints.totalFree(partition, protocol, new Set()));
        await hints.load(store, partition, protocol);
        reloaded = true;
        tried.clear();
        continue;
      }
      const index = hints.choose(partition, protocol, tried, random);
      if (index === undefined)
        throw exhausted(protocol, count, hints.totalFree(partition, protocol, new Set()));
      tried.add(index);
      const key = blockKey(protocol, index);
      let base = plan.get(key)?.base ?? hints.block(partition, protocol, index);
      if (base === undefined) continue;
      if ((contendedUntil.get(partition) ?? 0) > now() && !plan.has(key)) {
        base = await store.readBlock(partition, protocol, index);
        hints.update(partition, base);
      }
      const entry = plan.get(key) ?? { base, set: [], clear: [] };
      const picked = pickFreeBits(
        withBits(base.bits, entry.set, []),
        blockCapacity(layout, index),
        remaining,
        random,
      );
      if (picked.length === 0) continue;
      entry.set.push(...picked);
      plan.set(key, entry);
      remaining -= picked.length;
    }
  }

  /** Frees a port the lease no longer needs (a named pod re-created with other ports); rare, so it reads. */
  async function planClear(
    store: HostPortStateStore,
    partition: string,
    port: AssignedHostPort,
    plan: Map<string, PlannedBlock>,
  ): Promise<void> {
    const at = locatePort(layout, port.hostPort);
    if (at === undefined) return; // outside this range (the range was changed): nothing to clear
    const key = blockKey(port.protocol, at.index);
    const base = plan.get(key)?.base ?? (await store.readBlock(partition, port.protocol, at.index));
    const entry = plan.get(key) ?? { base, set: [], clear: [] };
    entry.clear.push(at.bit);
    plan.set(key, entry);
  }

  function portsOf(plan: Map<string, PlannedBlock>): Map<Protocol, number[]> {
    const out = new Map<Protocol, number[]>();
    for (const { base, set } of plan.values()) {
      const list = out.get(base.protocol) ?? [];
      list.push(...set.map((bit) => portAt(layout, base.index, bit)));
      out.set(base.protocol, list);
    }
    return out;
  }

  /** After a failed commit: what the store holds now, and whether someone else wrote our blocks. */
  async function refresh(
    store: HostPortStateStore,
    partition: string,
    leaseId: string,
    plan: Map<string, PlannedBlock>,
  ): Promise<StoredLease | undefined> {
    const bases = [...plan.values()].map((p) => p.base);
    const [lease, ...fresh] = await Promise.all([
      store.readLease(partition, leaseId),
      ...bases.map((b) => store.readBlock(partition, b.protocol, b.index)),
    ]);
    fresh.forEach((block, i) => {
      hints.update(partition, block);
      if (block.etag !== bases[i]?.etag) contendedUntil.set(partition, now() + contentionWindowMs);
    });
    return lease;
  }

  async function commit(
    store: HostPortStateStore,
    partition: string,
    plan: Map<string, PlannedBlock>,
    lease: LeaseWrite,
  ): Promise<void> {
    const writes: BlockWrite[] = [...plan.values()].map(({ base, set, clear }) => ({
      protocol: base.protocol,
      index: base.index,
      bits: withBits(base.bits, set, clear),
      etag: base.etag,
    }));
    const done = hints.markInFlight(partition, writes);
    try {
      const result = await store.commit(partition, writes, lease);
      for (const w of writes) {
        const etag = result.blockEtags.get(blockKey(w.protocol, w.index));
        hints.update(partition, { protocol: w.protocol, index: w.index, bits: w.bits, etag });
      }
    } finally {
      done();
    }
  }

  async function allocate(request: AllocationRequest): Promise<Allocation> {
    validate(request);
    const { store, calls } = counting(baseStore);
    const { partition, leaseId } = request;
    // Unknown until a commit fails: the common case (a new pod) needs no lease read.
    let lease: StoredLease | undefined | 'unknown' = 'unknown';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const held = lease !== 'unknown' && lease?.state === 'active' ? lease : undefined;
      const kept = new Map((held?.ports ?? []).map((p) => [requestKey(p), p]));
      const wanted = request.requests.filter((r) => !kept.has(requestKey(r)));
      const plan = new Map<string, PlannedBlock>();
      const dropped = (held?.ports ?? []).filter(
        (p) => !request.requests.some((r) => requestKey(r) === requestKey(p)),
      );
      for (const p of dropped) await planClear(store, partition, p, plan);
      for (const protocol of protocols) {
        const count = wanted.filter((r) => r.protocol === protocol).length;
        if (count > 0) await pick(store, partition, protocol, count, plan);
      }
      const fresh = portsOf(plan);
      const ports = request.requests.map(
        (r) => kept.get(requestKey(r)) ?? { ...r, hostPort: fresh.get(r.protocol)?.shift() as number },
      );
      const at = now();
      const data: LeaseData = {
        id: leaseId,
        state: 'active',
        namespace: request.namespace,
        podName: request.podName,
        ports,
        createdAt: held?.createdAt ?? at,
        renewedAt: at,
      };
      const write: LeaseWrite =
        lease === 'unknown' || lease === undefined
          ? { kind: 'create', lease: data }
          : { kind: 'replace', lease: data, etag: lease.etag };
      try {
        await commit(store, partition, plan, write);
        const outcome =
          held === undefined ? 'created' : wanted.length === 0 && dropped.length === 0 ? 'reused' : 'updated';
        return { leaseId, ports, outcome, storeCalls: calls(), attempts: attempt };
      } catch (error) {
        if (!isConcurrentUpdate(error)) throw error;
        // A short random pause after repeated losses spreads writers that keep meeting on a block.
        if (attempt > 1) await pause(random() * Math.min(2 ** attempt, 100));
        lease = await refresh(store, partition, leaseId, plan);
      }
    }
    throw new RetryableError(
      `host-port allocation gave up after ${maxAttempts} attempts: too many concurrent changes in this cluster's range`,
      { reason: 'HostPortAllocationContention' },
    );
  }

  async function release(partition: string, leaseId: string, expectedEtag?: string): Promise<boolean> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const lease = await baseStore.readLease(partition, leaseId);
      if (lease === undefined || lease.state === 'released') return false;
      if (expectedEtag !== undefined && lease.etag !== expectedEtag) return false;
      const located = lease.ports.flatMap((p) => {
        const at = locatePort(layout, p.hostPort);
        return at === undefined ? [] : [{ protocol: p.protocol, ...at }];
      });
      const unique = [...new Map(located.map((l) => [blockKey(l.protocol, l.index), l])).values()];
      const blocks = await Promise.all(
        unique.map((l) => baseStore.readBlock(partition, l.protocol, l.index)),
      );
      const writes = blocks.map((b) => ({
        protocol: b.protocol,
        index: b.index,
        bits: withBits(
          b.bits,
          [],
          located.filter((l) => l.protocol === b.protocol && l.index === b.index).map((l) => l.bit),
        ),
        etag: b.etag,
      }));
      const tombstone: LeaseData = { ...lease, state: 'released', ports: [], renewedAt: now() };
      try {
        const result = await baseStore.commit(partition, writes, {
          kind: 'replace',
          lease: tombstone,
          etag: lease.etag,
        });
        for (const w of writes) {
          hints.update(partition, { ...w, etag: result.blockEtags.get(blockKey(w.protocol, w.index)) });
        }
        // The tombstone holds no ports; if this delete loses a race, the next repair pass removes it.
        if (result.leaseEtag !== undefined) await baseStore.deleteLease(partition, leaseId, result.leaseEtag);
        return true;
      } catch (error) {
        if (!isConcurrentUpdate(error)) throw error;
      }
    }
    throw new RetryableError(`releasing host-port lease ${leaseId} gave up after ${maxAttempts} attempts`, {
      reason: 'HostPortAllocationContention',
    });
  }

  return { layout, allocate, release };
}
