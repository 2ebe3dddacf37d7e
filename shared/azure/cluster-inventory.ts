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
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ConnectedKubernetesClient } from '@azure/arm-hybridkubernetes';
import type { TokenCredential } from '@azure/core-auth';
import { classifyArmFailure } from '../errors/index.js';
import type { ClusterInventory } from '../events/ports.js';
import type { ClusterKind } from '../model/source.js';
import { sourceFromId } from '../model/source.js';
import type { ClusterFacts } from '../model/template-match.js';

export const connectedClusterApiVersion = '2026-05-01';

export interface ClusterInventoryOptions {
  readonly credential: TokenCredential;
  /** ARM endpoint (settings.armEndpoint). */
  readonly endpoint: string;
}

interface RestErrorLike {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

function retryAfterMs(error: RestErrorLike): number | undefined {
  const headers = error.response?.headers;
  const ms = Number(headers?.get('x-ms-retry-after-ms') ?? headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(headers?.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Every item of every page. */
async function allItems(pages: AsyncIterable<unknown>, target: string): Promise<unknown[]> {
  const items: unknown[] = [];
  try {
    for await (const item of pages) items.push(item);
  } catch (error) {
    const e = error as RestErrorLike;
    throw classifyArmFailure({
      status: e.statusCode,
      code: e.code,
      message: e.message ?? `Listing ${target} failed`,
      retryAfterMs: retryAfterMs(e),
      target,
      cause: error,
    });
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

export function createArmClusterInventory(options: ClusterInventoryOptions): ClusterInventory {
  const clientOptions = { endpoint: options.endpoint };
  // arm-hybridkubernetes 2.1.0 defaults to 2021-10-01; ask for a current stable version (ADR 0071).
  const arcOptions = { ...clientOptions, apiVersion: connectedClusterApiVersion };
  const managed = new Map<string, ContainerServiceClient>();
  const connected = new Map<string, ConnectedKubernetesClient>();
  const clientFor = <C>(cache: Map<string, C>, subscriptionId: string, build: () => C): C => {
    let client = cache.get(subscriptionId);
    if (client === undefined) {
      client = build();
      cache.set(subscriptionId, client);
    }
    return client;
  };
  return {
    async listClusters(subscriptionId) {
      const aks = clientFor(
        managed,
        subscriptionId,
        () => new ContainerServiceClient(options.credential, subscriptionId, clientOptions),
      );
      const arc = clientFor(
        connected,
        subscriptionId,
        () => new ConnectedKubernetesClient(options.credential, subscriptionId, arcOptions),
      );
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
