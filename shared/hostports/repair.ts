/**
 * The repair pass (the Kubernetes NodePort repair loop's idea, ADR 0040): given the pods that exist
 * (the caller lists them through the cluster's API), release leases whose pod is gone, rebuild
 * leases that pods still claim but the store lost, and make the bitmap equal the union of the
 * leases. A lease younger than the grace period is kept even without a pod: its pod may still be
 * between admission and persistence, or created after the caller's list was taken.
 */
import {
  isConcurrentUpdate,
  type HostPortStateStore,
  type StoredBlock,
  type StoredLease,
} from './allocation-store.js';
import type { HostPortAllocator } from './allocator.js';
import {
  blockCapacity,
  emptyBits,
  isSet,
  locatePort,
  setBitsOf,
  withBits,
  type RangeLayout,
} from './bitmap.js';
import { parseAssignedPorts } from './mutator.js';
import {
  assignedAnnotation,
  leaseAnnotation,
  protocols,
  type AssignedHostPort,
  type Protocol,
} from './types.js';

export interface LivePod {
  readonly namespace: string;
  readonly name: string;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
}

export interface RepairOptions {
  readonly livePods: readonly LivePod[];
  /** When the caller started listing pods (epoch ms): only leases renewed before `listedAt - graceMs` may go. */
  readonly listedAt: number;
  /** Default 2 minutes. */
  readonly graceMs?: number;
  readonly now?: () => number;
}

export interface PortConflict {
  readonly leaseId: string;
  readonly protocol: Protocol;
  readonly hostPort: number;
  /** The lease the store gives the port to, when one does. */
  readonly heldBy: string | undefined;
}

export interface RepairReport {
  /** Active leases whose pod exists. */
  readonly live: number;
  /** Leases without a pod, kept because they are younger than the grace period. */
  readonly young: readonly string[];
  readonly released: readonly string[];
  /** Leases that changed while the pass looked at them; the next pass decides. */
  readonly skipped: readonly string[];
  readonly tombstonesRemoved: number;
  /** Leases rebuilt from a live pod's annotations (the store had lost them). */
  readonly reclaimed: readonly string[];
  /** Ports a live pod claims that the store holds for someone else (reported, never taken). */
  readonly conflicts: readonly PortConflict[];
  /**
   * Leases that several live pods name (a manifest copied with our annotations skips the webhook
   * and claims the original's ports); reported with the pods, `<ns>/<name>`.
   */
  readonly sharedLeases: readonly { readonly leaseId: string; readonly pods: readonly string[] }[];
  /** Bits set with no lease naming them, cleared. */
  readonly leakedPortsFreed: number;
  /** Ports an active lease names whose bit was not set, set. */
  readonly missingPortsRestored: number;
}

export const defaultRepairGraceMs = 120_000;

function sharedLeases(pods: readonly LivePod[]): { leaseId: string; pods: string[] }[] {
  const byLease = new Map<string, string[]>();
  for (const pod of pods) {
    const id = pod.annotations?.[leaseAnnotation];
    if (id !== undefined && id !== '')
      byLease.set(id, [...(byLease.get(id) ?? []), `${pod.namespace}/${pod.name}`]);
  }
  return [...byLease]
    .filter(([, names]) => names.length > 1)
    .map(([leaseId, names]) => ({ leaseId, pods: names }));
}

function referencedLeases(pods: readonly LivePod[]): Set<string> {
  const ids = new Set<string>();
  for (const pod of pods) {
    ids.add(`${pod.namespace}/${pod.name}`);
    const id = pod.annotations?.[leaseAnnotation];
    if (id !== undefined && id !== '') ids.add(id);
  }
  return ids;
}

async function reclaim(
  store: HostPortStateStore,
  layout: RangeLayout,
  partition: string,
  pod: LivePod,
  leaseId: string,
  ports: readonly AssignedHostPort[],
  holders: ReadonlyMap<string, string>,
  now: number,
): Promise<{ conflicts: PortConflict[]; reclaimed: boolean }> {
  const located = ports.flatMap((p) => {
    const at = locatePort(layout, p.hostPort);
    return at === undefined ? [] : [{ port: p, ...at }];
  });
  const keys = [...new Set(located.map((l) => `${l.port.protocol}:${l.index}`))];
  const blocks = await Promise.all(
    keys.map((k) => {
      const [protocol, index] = k.split(':') as [Protocol, string];
      return store.readBlock(partition, protocol, Number(index));
    }),
  );
  const byKey = new Map(blocks.map((b) => [`${b.protocol}:${b.index}`, b]));
  // A set bit that no lease names is a leftover of the lost lease itself: taking it is correct.
  const conflicts = located
    .filter((l) => isSet(byKey.get(`${l.port.protocol}:${l.index}`)?.bits ?? emptyBits(), l.bit))
    .map((l) => ({
      leaseId,
      protocol: l.port.protocol,
      hostPort: l.port.hostPort,
      heldBy: holders.get(`${l.port.protocol}:${l.port.hostPort}`),
    }))
    .filter((c) => c.heldBy !== undefined);
  if (conflicts.length > 0) return { conflicts, reclaimed: false };
  const writes = blocks.map((b) => ({
    ...b,
    bits: withBits(
      b.bits,
      located.filter((l) => l.port.protocol === b.protocol && l.index === b.index).map((l) => l.bit),
      [],
    ),
  }));
  const existing = await store.readLease(partition, leaseId);
  if (existing?.state === 'active') return { conflicts: [], reclaimed: false }; // someone rebuilt it meanwhile
  const lease = {
    id: leaseId,
    state: 'active' as const,
    namespace: pod.namespace,
    podName: pod.name,
    ports,
    createdAt: now,
    renewedAt: now,
  };
  await store.commit(
    partition,
    writes,
    existing === undefined ? { kind: 'create', lease } : { kind: 'replace', lease, etag: existing.etag },
  );
  return { conflicts: [], reclaimed: true };
}

/** Makes each block equal the union of the active leases' ports (conditional on the snapshot). */
async function reconcileBits(
  store: HostPortStateStore,
  layout: RangeLayout,
  partition: string,
): Promise<{ leaked: number; missing: number }> {
  // Blocks first, then leases: an allocation or release that lands in between changes a block's
  // ETag, so the conditional write below fails instead of undoing it.
  const snapshot: StoredBlock[] = (
    await Promise.all(protocols.map((p) => store.readBlocks(partition, p)))
  ).flat();
  const leases = (await store.listLeases(partition)).filter((l) => l.state === 'active');
  const expected = new Map<string, { protocol: Protocol; index: number; bits: number[] }>();
  for (const port of leases.flatMap((l) => l.ports)) {
    const at = locatePort(layout, port.hostPort);
    if (at === undefined) continue;
    const key = `${port.protocol}:${at.index}`;
    const entry = expected.get(key) ?? { protocol: port.protocol, index: at.index, bits: [] };
    entry.bits.push(at.bit);
    expected.set(key, entry);
  }
  const stored = new Map(snapshot.map((b) => [`${b.protocol}:${b.index}`, b]));
  let leaked = 0;
  let missing = 0;
  for (const key of new Set([...stored.keys(), ...expected.keys()])) {
    const block = stored.get(key);
    const want = expected.get(key);
    const protocol = block?.protocol ?? want?.protocol ?? 'TCP';
    const index = block?.index ?? want?.index ?? 0;
    if (index >= layout.blockCount) continue;
    const have = new Set(setBitsOf(block?.bits ?? emptyBits(), blockCapacity(layout, index)));
    const wanted = new Set(want?.bits ?? []);
    const extra = [...have].filter((b) => !wanted.has(b));
    const absent = [...wanted].filter((b) => !have.has(b));
    if (extra.length === 0 && absent.length === 0) continue;
    try {
      const bits = withBits(emptyBits(), [...wanted], []);
      await store.commit(partition, [{ protocol, index, bits, etag: block?.etag }]);
      leaked += extra.length;
      missing += absent.length;
    } catch (error) {
      if (!isConcurrentUpdate(error)) throw error;
    }
  }
  return { leaked, missing };
}

export async function repairHostPorts(
  store: HostPortStateStore,
  allocator: HostPortAllocator,
  partition: string,
  options: RepairOptions,
): Promise<RepairReport> {
  const now = options.now ?? Date.now;
  const cutoff = options.listedAt - (options.graceMs ?? defaultRepairGraceMs);
  const referenced = referencedLeases(options.livePods);
  const leases: StoredLease[] = await store.listLeases(partition);
  const report = {
    live: 0,
    young: [] as string[],
    released: [] as string[],
    skipped: [] as string[],
    tombstonesRemoved: 0,
    reclaimed: [] as string[],
    conflicts: [] as PortConflict[],
  };
  for (const lease of leases) {
    if (lease.state === 'released') {
      if (await store.deleteLease(partition, lease.id, lease.etag)) report.tombstonesRemoved++;
    } else if (referenced.has(lease.id)) {
      report.live++;
    } else if (lease.renewedAt > cutoff) {
      report.young.push(lease.id);
    } else if (await allocator.release(partition, lease.id, lease.etag)) {
      report.released.push(lease.id);
    } else {
      report.skipped.push(lease.id);
    }
  }
  const released = new Set(report.released);
  const remaining = leases.filter((l) => l.state === 'active' && !released.has(l.id));
  const known = new Set(remaining.map((l) => l.id));
  const holders = new Map(
    remaining.flatMap((l) => l.ports.map((p) => [`${p.protocol}:${p.hostPort}`, l.id] as const)),
  );
  for (const pod of options.livePods) {
    const leaseId = pod.annotations?.[leaseAnnotation];
    const ports = parseAssignedPorts(pod.annotations?.[assignedAnnotation]);
    if (leaseId === undefined || leaseId === '' || ports === undefined || known.has(leaseId)) continue;
    try {
      const result = await reclaim(store, allocator.layout, partition, pod, leaseId, ports, holders, now());
      report.conflicts.push(...result.conflicts);
      if (result.reclaimed) report.reclaimed.push(leaseId);
    } catch (error) {
      if (!isConcurrentUpdate(error)) throw error;
      report.skipped.push(leaseId);
    }
  }
  const bits = await reconcileBits(store, allocator.layout, partition);
  return {
    ...report,
    sharedLeases: sharedLeases(options.livePods),
    leakedPortsFreed: bits.leaked,
    missingPortsRestored: bits.missing,
  };
}
