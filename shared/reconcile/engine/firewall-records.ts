/**
 * Every firewall record the cluster's connections hold, by target (ADR 0052, 0084): the record on
 * a connection's current target, a record left on a target the connection no longer points at
 * (its target id changed), and the retired records kept until their rules are gone. A target that
 * no active connection of the cluster points at any more must not keep an allow rule of ours:
 * the firewall pass removes the recorded ranges there (never another cluster's), then the record
 * goes. Pure.
 */
import { identifyTarget, type TargetRef } from '../../targets/kinds.js';
import { targetKey, type ConnectionFacts } from './connection-facts.js';

export interface RecordedTarget {
  readonly ref: TargetRef;
  /** Range keys recorded for this cluster there, by any of its connections. */
  readonly ranges: readonly string[];
  /** A record there was left by a connection that points elsewhere now. */
  readonly retired: boolean;
}

/**
 * A target ref for a recorded top-level resource id (the record keeps only that id). The firewall
 * form depends on the top-level resource alone, so any kind under it will do: the id is tried as
 * it is, then with the child each kind of that provider needs.
 */
export function recordedTargetRef(targetId: string): TargetRef | undefined {
  for (const child of ['', '/blobServices/default', '/sqlDatabases/_', '/databases/_']) {
    const found = identifyTarget(`${targetId}${child}`);
    if (found.ok && targetKey(found.target) === targetId.toLowerCase()) return found.target;
  }
  return undefined;
}

/** The records of one connection, with whether each is retired (not on its current target). */
export function recordsOf(
  c: ConnectionFacts,
): { targetId: string; ranges: readonly string[]; retired: boolean }[] {
  const current = c.target === undefined ? undefined : targetKey(c.target);
  const records = [
    ...(c.inventory.firewall === undefined ? [] : [c.inventory.firewall]),
    ...(c.inventory.retiredFirewall ?? []),
  ];
  return records.map((r) => ({ ...r, retired: r.targetId.toLowerCase() !== current }));
}

/** Every recorded target of these connections, by target key. */
export function recordedTargets(connections: readonly ConnectionFacts[]): Map<string, RecordedTarget> {
  const out = new Map<string, { ref: TargetRef; ranges: Set<string>; retired: boolean }>();
  for (const c of connections) {
    for (const record of recordsOf(c)) {
      const key = record.targetId.toLowerCase();
      const ref =
        out.get(key)?.ref ??
        (c.target !== undefined && targetKey(c.target) === key
          ? c.target
          : recordedTargetRef(record.targetId));
      if (ref === undefined) continue;
      const entry = out.get(key) ?? { ref, ranges: new Set<string>(), retired: false };
      for (const range of record.ranges) entry.ranges.add(range);
      entry.retired ||= record.retired;
      out.set(key, entry);
    }
  }
  return new Map(
    [...out].map(([key, e]) => [key, { ref: e.ref, ranges: [...e.ranges].sort(), retired: e.retired }]),
  );
}
