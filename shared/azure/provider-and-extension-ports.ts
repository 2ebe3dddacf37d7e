/**
 * Resource provider registration (typed: a read and a POST) and cluster extensions: the read is
 * typed; create and delete go through the REST pipeline because the classic client's `beginCreate`
 * and `beginDelete` poll once before they return (core-lro 2 `createHttpPoller` then `poll()`), and
 * a long-running write here must be one request, started and recorded (ADR 0072).
 */
import { restApiVersion } from './api-versions.js';
import type { AdapterDeps } from './deps.js';
import type { ExtensionPort, ProviderPort } from './ports.js';
import { isObject, resourceOf, writeStarted } from './reply.js';
import { clusterRef } from './resource-ids.js';
import { sdkCall, sdkList, sdkRead } from './sdk-call.js';

const extensionType = 'Microsoft.KubernetesConfiguration/extensions';

export function createProviderPort({ clients }: AdapterDeps): ProviderPort {
  return {
    async registrationState(subscriptionId, namespace) {
      const target = `/subscriptions/${subscriptionId}/providers/${namespace}`;
      const reply = await sdkRead(target, clients.resources(subscriptionId), (arm, onResponse) =>
        arm.providers.get(namespace, { onResponse }),
      );
      const state = isObject(reply?.body) ? reply.body['registrationState'] : undefined;
      return typeof state === 'string' ? state : undefined;
    },

    async register(subscriptionId, namespace) {
      const target = `/subscriptions/${subscriptionId}/providers/${namespace}/register`;
      await sdkCall(target, clients.resources(subscriptionId), (arm, onResponse) =>
        arm.providers.register(namespace, { onResponse }),
      );
    },
  };
}

export function createExtensionPort({ clients, rest }: AdapterDeps): ExtensionPort {
  const extensionId = (clusterId: string, name: string): string => {
    clusterRef(clusterId);
    return `${clusterId}/providers/${extensionType}/${name}`;
  };
  const apiVersion = restApiVersion(extensionType) as string;

  return {
    async get(clusterId, name) {
      const ref = clusterRef(clusterId);
      const client = clients.kubernetesConfiguration(ref.subscriptionId);
      const reply = await sdkRead(extensionId(clusterId, name), client, (config, onResponse) =>
        config.extensions.get(ref.resourceGroup, ref.rp, ref.resourceName, ref.name, name, { onResponse }),
      );
      return resourceOf(reply?.body);
    },

    async list(clusterId) {
      const ref = clusterRef(clusterId);
      const client = clients.kubernetesConfiguration(ref.subscriptionId);
      const items = await sdkList(
        rest,
        `${clusterId}/providers/${extensionType}`,
        client,
        (config, onResponse) =>
          config.extensions
            .list(ref.resourceGroup, ref.rp, ref.resourceName, ref.name, { onResponse })
            .byPage()
            .next(),
      );
      return items.flatMap((item) => resourceOf(item) ?? []);
    },

    async create(clusterId, name, body) {
      const reply = await rest.send({ method: 'PUT', path: extensionId(clusterId, name), apiVersion, body });
      return writeStarted(reply);
    },

    async delete(clusterId, name) {
      const reply = await rest.send({
        method: 'DELETE',
        path: extensionId(clusterId, name),
        apiVersion,
        allowNotFound: true,
      });
      return reply.status === 404 || reply.status === 204 ? 'absent' : writeStarted(reply);
    },
  };
}
