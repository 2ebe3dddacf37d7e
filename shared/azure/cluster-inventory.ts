/**
 * The sweep's inventory of clusters: every AKS managed cluster and Arc connected cluster of a
 * subscription, with its tags, for matching templates (ClusterInventory in shared/events/ports.ts).
 * Official clients (`ContainerServiceClient.managedClusters.list`,
 * `ConnectedKubernetesClient.connectedClusterOperations.listBySubscription`), every page followed
 * by the SDK's own pager; failures are classified by ARM error code (`classifyArmFailure`). Two
 * paged reads per subscription and sweep.
 *
 * Unlike the reconciler's adapters, no body is handed on: only `id` and `tags` are read, and those
 * are spelled the same in the typed model and in REST. (Taking REST bodies from `onResponse` would
 * miss every page after the first: the modular clients' pagers do not pass it on to `nextLink`.)
 */
import type { ClusterInventory } from '../events/ports.js';
import type { ClusterKind } from '../model/source.js';
import { sourceFromId } from '../model/source.js';
import type { ClusterFacts } from '../model/template-match.js';
import { classifySdkError } from './failures.js';
import type { SdkClients } from './sdk-clients.js';

/** Every item of every page (the SDK's pager follows nextLink; the clients' retries are capped). */
async function allItems(pages: AsyncIterable<unknown>, target: string): Promise<unknown[]> {
  const items: unknown[] = [];
  try {
    for await (const item of pages) items.push(item);
  } catch (error) {
    throw classifySdkError(error, target);
  }
  return items;
}

function factsOf(body: unknown, kind: ClusterKind): ClusterFacts | undefined {
  const { id, tags } = (body ?? {}) as { id?: unknown; tags?: unknown };
  if (typeof id !== 'string' || sourceFromId(id)?.kind !== kind) return undefined;
  const tagMap =
    typeof tags === 'object' && tags !== null
      ? Object.fromEntries(
          Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : {};
  return { id, tags: tagMap, kind };
}

/**
 * Built on the adapters' shared SDK clients (one cache, capped retries, the api-version table of
 * ADR 0071: connected clusters at a current stable version rather than the package's 2021-10-01).
 */
export function createArmClusterInventory(clients: SdkClients): ClusterInventory {
  return {
    async listClusters(subscriptionId) {
      const [aks, arc] = await Promise.all([
        clients.containerService(subscriptionId),
        clients.connectedKubernetes(subscriptionId),
      ]);
      const scope = `/subscriptions/${subscriptionId}`;
      const [managedBodies, connectedBodies] = await Promise.all([
        allItems(aks.managedClusters.list(), `${scope}/providers/Microsoft.ContainerService/managedClusters`),
        allItems(
          arc.connectedClusterOperations.listBySubscription(),
          `${scope}/providers/Microsoft.Kubernetes/connectedClusters`,
        ),
      ]);
      return [
        ...managedBodies.map((b) => factsOf(b, 'managedClusters')),
        ...connectedBodies.map((b) => factsOf(b, 'connectedClusters')),
      ].filter((f): f is ClusterFacts => f !== undefined);
    },
  };
}
