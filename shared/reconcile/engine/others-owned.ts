/**
 * What other clusters of ours hold on a target, read only when a decision needs it, so steady
 * state costs nothing:
 * - the firewall ranges they recorded there (ADR 0052): never removed by us, and shared when we
 *   want the same exact rule; read before a removal or a share;
 * - their active connections to it (ADR 0085): read before a role assignment of ours there is
 *   deleted, since another cluster's connection may need the same one.
 * The clusters are found through the dependency index when one is configured (the clusters that
 * depend on the target), otherwise through every cluster that has connections.
 */
import type { StoredConnection } from '../../model/connection.js';
import { armIdKey, tryParseArmId } from '../../util/arm-id.js';
import { connectionFacts, type ConnectionFacts } from './connection-facts.js';
import { recordsOf } from './firewall-records.js';
import { Memo } from './memo.js';
import type { ReconcileDeps } from './types.js';

/** Other clusters' connections whose cluster depends on the target (all of their connections). */
function otherClustersReader(
  deps: ReconcileDeps,
  clusterId: string,
): (targetId: string) => Promise<readonly StoredConnection[]> {
  const memo = new Memo<readonly StoredConnection[]>();
  const self = armIdKey(clusterId);
  return (targetId) =>
    memo.get(targetId, async () => {
      const clusters = deps.dependencyIndex
        ? (await deps.dependencyIndex.clustersDependingOn(targetId))
            .filter((d) => d.role === 'target')
            .map((d) => d.clusterId)
        : await deps.store.connections.listClusterIds();
      const others = [...new Map(clusters.map((c) => [armIdKey(c), c])).values()].filter(
        (c) => armIdKey(c) !== self,
      );
      return (await Promise.all(others.map((c) => deps.store.connections.listByCluster(c)))).flat();
    });
}

export interface OthersOnTarget {
  /** Range keys other clusters recorded on the target (on their current or a former target). */
  readonly ranges: (targetId: string) => Promise<readonly string[]>;
  /** Other clusters' active connections to the target. */
  readonly connections: (targetId: string) => Promise<readonly ConnectionFacts[]>;
}

export function othersOnTarget(deps: ReconcileDeps, clusterId: string): OthersOnTarget {
  const read = otherClustersReader(deps, clusterId);
  return {
    async ranges(targetId) {
      const ranges = new Set<string>();
      for (const connection of await read(targetId)) {
        const facts = connectionFacts(connection, subscriptionOf(connection.clusterId));
        for (const record of recordsOf(facts))
          if (armIdKey(record.targetId) === armIdKey(targetId)) for (const r of record.ranges) ranges.add(r);
      }
      return [...ranges].sort();
    },
    async connections(targetId) {
      return (await read(targetId))
        .filter((c) => c.lifecycle === 'active')
        .map((c) => connectionFacts(c, subscriptionOf(c.clusterId)))
        .filter((c) => c.target !== undefined && armIdKey(c.target.resourceId) === armIdKey(targetId));
    },
  };
}

function subscriptionOf(clusterId: string): string {
  return tryParseArmId(clusterId)?.subscriptionId ?? '';
}

/** The firewall ranges other clusters of ours recorded on a target (the firewall step's input). */
export function othersOwnedReader(
  deps: ReconcileDeps,
  clusterId: string,
): (targetId: string) => Promise<readonly string[]> {
  return othersOnTarget(deps, clusterId).ranges;
}
