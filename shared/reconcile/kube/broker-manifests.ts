/**
 * Server-side-apply bodies for an MQTT broker connection (ADR 0120): the connection's own
 * ServiceAccount, whose projected token (audience `aio-internal`) the broker accepts, and the
 * namespace's copy of IoT Operations' CA trust bundle, under the same name so that pod specs
 * written from the IoT Operations samples mount it unchanged. The copy holds only the CA data.
 */
import { caTrustBundleKey, caTrustBundleName } from '../../targets/mqtt-broker.js';
import { built, connectionMetadata, managedByLabel, type Built } from './manifests.js';
import { configMapName, mqttAccountName, namespaceName } from './names.js';

export function mqttServiceAccountObject(input: {
  readonly namespace: string;
  readonly connectionName: string;
  readonly connectionId: string;
}): Built {
  const namespace = namespaceName(input.namespace);
  if (!namespace.ok) return namespace;
  return built(mqttAccountName(input.connectionName), (name) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: connectionMetadata(name, input),
  }));
}

/** One copy per namespace, shared by its broker connections, so it carries no connection label. */
export function caBundleCopyObject(input: { readonly namespace: string; readonly caCrt: string }): Built {
  const namespace = namespaceName(input.namespace);
  if (!namespace.ok) return namespace;
  return built(configMapName(caTrustBundleName), (name) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: input.namespace, labels: { ...managedByLabel } },
    data: { [caTrustBundleKey]: input.caCrt },
  }));
}
