/**
 * Managed clusters (AKS) and Arc connected clusters. Reads go through the typed clients; the
 * read-modify-write PUTs of a cluster or agent pool go through the REST pipeline, because the body
 * is the REST document we read and the modular AKS client would re-serialize it from its flattened
 * model (ADR 0072). The PUTs are long-running: started, never polled.
 */
import { TerminalError } from '../errors/index.js';
import type { ArmResource } from '../targets/arm-body.js';
import { restApiVersion } from './api-versions.js';
import type { AdapterDeps } from './deps.js';
import type { ArmRead, ClusterPort, WriteStarted } from './ports.js';
import { isObject, readByRest, resourceOf, writeStarted, type Reply } from './reply.js';
import { clusterRef, groupResource, managedClusterType, nameAt } from './resource-ids.js';
import { sdkCall, sdkRead } from './sdk-call.js';

const agentPoolType = `${managedClusterType}/agentPools`;
const privateLinkScopeType = 'Microsoft.HybridCompute/privateLinkScopes';

function armRead(reply: Reply): ArmRead {
  const body = resourceOf(reply.body);
  if (body === undefined) throw new Error('ARM answered a read without a body.');
  const record = body as Record<string, unknown>;
  const fromBody = record['etag'] ?? record['eTag'];
  const etag = reply.headers.get('etag') ?? (typeof fromBody === 'string' ? fromBody : undefined);
  return { body, etag: etag ?? undefined };
}

/** The first kubeconfig of a `CredentialResults` body, decoded (it is base64 on the wire). */
function kubeconfigOf(body: unknown, clusterId: string): string {
  const first =
    isObject(body) && Array.isArray(body['kubeconfigs']) ? (body['kubeconfigs'][0] as unknown) : undefined;
  const value = isObject(first) ? first['value'] : undefined;
  if (typeof value !== 'string' || value === '') {
    throw new TerminalError(`ARM returned no kubeconfig for ${clusterId}.`, {
      reason: 'KubeconfigMissing',
      target: clusterId,
    });
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

export function createClusterPort({ clients, rest }: AdapterDeps): ClusterPort {
  const put = async (
    id: string,
    type: string,
    body: ArmResource,
    ifMatch: string | undefined,
  ): Promise<WriteStarted> =>
    writeStarted(
      await rest.send({
        method: 'PUT',
        path: id,
        apiVersion: restApiVersion(type) as string,
        body,
        ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
      }),
    );

  return {
    async getCluster(clusterId) {
      const ref = clusterRef(clusterId);
      const { subscriptionId: sub, resourceGroup: rg, name } = ref;
      const reply =
        ref.kind === 'managed'
          ? await sdkRead(clusterId, clients.containerService(sub), (aks, onResponse) =>
              aks.managedClusters.get(rg, name, { onResponse }),
            )
          : await sdkRead(clusterId, clients.connectedKubernetes(sub), (arc, onResponse) =>
              arc.connectedClusterOperations.get(rg, name, { onResponse }),
            );
      return reply === undefined ? undefined : armRead(reply);
    },

    async putManagedCluster(clusterId, body, ifMatch) {
      groupResource(clusterId, managedClusterType);
      return await put(clusterId, managedClusterType, body, ifMatch);
    },

    async getAgentPool(agentPoolId) {
      const id = groupResource(agentPoolId, agentPoolType);
      const reply = await sdkRead(
        agentPoolId,
        clients.containerService(id.subscriptionId),
        (aks, onResponse) =>
          aks.agentPools.get(id.resourceGroup, nameAt(id, 0), nameAt(id, 1), { onResponse }),
      );
      return reply === undefined ? undefined : armRead(reply);
    },

    async putAgentPool(agentPoolId, body, ifMatch) {
      groupResource(agentPoolId, agentPoolType);
      return await put(agentPoolId, agentPoolType, body, ifMatch);
    },

    async userKubeconfig(clusterId) {
      const ref = clusterRef(clusterId);
      const { subscriptionId: sub, resourceGroup: rg, name } = ref;
      const reply =
        ref.kind === 'managed'
          ? await sdkCall(clusterId, clients.containerService(sub), (aks, onResponse) =>
              aks.managedClusters.listClusterUserCredentials(rg, name, { onResponse }),
            )
          : await sdkCall(clusterId, clients.connectedKubernetes(sub), (arc, onResponse) =>
              // A kubeconfig with the cluster's token, not the cluster-connect proxy (ADR 0070).
              arc.connectedClusterOperations.listClusterUserCredential(
                rg,
                name,
                { authenticationMethod: 'Token', clientProxy: false },
                { onResponse },
              ),
            );
      return kubeconfigOf(reply.body, clusterId);
    },

    async getPrivateLinkScope(scopeId) {
      groupResource(scopeId, privateLinkScopeType);
      return await readByRest(rest, scopeId, restApiVersion(privateLinkScopeType) as string);
    },
  };
}
