/**
 * The firewall ranges other clusters of ours recorded on a target (ADR 0052): never removed by us,
 * and shared when we want the same exact rule. Found through the dependency index when one is
 * configured (the clusters that recorded the target), otherwise through every cluster that has
 * connections; read only when the firewall plan needs it (a removal, a rule to share), so steady
 * state costs nothing.
 */
import { armIdKey } from '../../util/arm-id.js';
import { readInventory } from './inventory.js';
import { Memo } from './memo.js';
import type { ReconcileDeps } from './types.js';

export function othersOwnedReader(
  deps: ReconcileDeps,
  clusterId: string,
): (targetId: string) => Promise<readonly string[]> {
  const memo = new Memo<readonly string[]>();
  return (targetId) => memo.get(targetId, () => read(deps, clusterId, targetId));
}

async function read(deps: ReconcileDeps, clusterId: string, targetId: string): Promise<string[]> {
  const self = armIdKey(clusterId);
  const clusters = deps.dependencyIndex
    ? (await deps.dependencyIndex.clustersDependingOn(targetId))
        .filter((d) => d.role === 'target')
        .map((d) => d.clusterId)
    : await deps.store.connections.listClusterIds();
  const others = [...new Set(clusters.filter((c) => armIdKey(c) !== self))];
  const lists = await Promise.all(others.map((c) => deps.store.connections.listByCluster(c)));
  const ranges = new Set<string>();
  for (const connection of lists.flat()) {
    const record = readInventory(connection.inventory).firewall;
    if (record !== undefined && armIdKey(record.targetId) === armIdKey(targetId))
      for (const r of record.ranges) ranges.add(r);
  }
  return [...ranges].sort();
}
