/**
 * Server-side-apply bodies for the objects a connection owns in the cluster: its Secret, the
 * workload-identity ServiceAccount, and the Namespace (applied with nothing but its name, so an
 * existing namespace is left exactly as it is and a missing one is created). Secret values go in
 * `data` (base64): `stringData` is write-only and never shows up in managed fields, so applying it
 * would look changed on every run.
 */
import { labelValue, namespaceName, secretName, serviceAccountName, type NameResult } from './names.js';

export const FIELD_MANAGER = 'connector-functions';
export const managedByLabel = { 'app.kubernetes.io/managed-by': 'connector-functions' } as const;
export const connectionLabel = 'connector-functions/connection';
export const connectionIdAnnotation = 'connector-functions/connection-id';
export const connectionNameAnnotation = 'connector-functions/connection-name';

/** A type alias (not an interface) so that it is assignable to the KubePort's open `KubeObject`. */
export type KubeObject = {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret' | 'ServiceAccount' | 'Namespace' | 'ConfigMap';
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly type?: 'Opaque';
  readonly data?: Readonly<Record<string, string>>;
};

export type Built =
  | { readonly ok: true; readonly object: KubeObject }
  | { readonly ok: false; readonly reason: string; readonly message: string };

export function built(name: NameResult, make: (name: string) => KubeObject): Built {
  return name.ok ? { ok: true, object: make(name.name) } : name;
}

export function namespaceObject(namespace: string): Built {
  return built(namespaceName(namespace), (name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));
}

export interface SecretInput {
  readonly namespace: string;
  readonly connectionName: string;
  /** The linker id: `{clusterId}/providers/Microsoft.ServiceLinker/linkers/{name}`. */
  readonly connectionId: string;
  /** Plain values, from the configuration plan. */
  readonly data: Readonly<Record<string, string>>;
}

/** Metadata of an object that belongs to one connection: its label and who it belongs to. */
export function connectionMetadata(
  name: string,
  input: { readonly namespace: string; readonly connectionName: string; readonly connectionId: string },
): KubeObject['metadata'] {
  return {
    name,
    namespace: input.namespace,
    labels: { ...managedByLabel, [connectionLabel]: labelValue(input.connectionName) },
    annotations: {
      [connectionIdAnnotation]: input.connectionId,
      [connectionNameAnnotation]: input.connectionName,
    },
  };
}

export function secretObject(input: SecretInput): Built {
  const namespace = namespaceName(input.namespace);
  if (!namespace.ok) return namespace;
  return built(secretName(input.connectionName), (name) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: connectionMetadata(name, input),
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(input.data)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
    ),
  }));
}

export interface ServiceAccountInput {
  readonly namespace: string;
  readonly clientId: string;
  readonly tenantId?: string;
}

/**
 * One ServiceAccount per (namespace, identity), shared by every connection using that identity
 * there, so it carries no connection label.
 */
export function serviceAccountObject(input: ServiceAccountInput): Built {
  const namespace = namespaceName(input.namespace);
  if (!namespace.ok) return namespace;
  const annotations: Record<string, string> = { 'azure.workload.identity/client-id': input.clientId };
  if (input.tenantId !== undefined) annotations['azure.workload.identity/tenant-id'] = input.tenantId;
  return built(serviceAccountName(input.clientId), (name) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: input.namespace, labels: { ...managedByLabel }, annotations },
  }));
}
