import { describe, expect, it } from 'vitest';
import { hostPortWebhookConfiguration } from '../../shared/hostports/webhook-config.js';
import { ownedFieldsDiffer } from '../../shared/kube/owned-fields.js';
import type { KubeObject } from '../../shared/kube/ports.js';
import { secretObject, serviceAccountObject } from '../../shared/reconcile/kube/manifests.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function built(result: ReturnType<typeof secretObject>): KubeObject {
  if (!result.ok) throw new Error(result.message);
  return { ...result.object };
}

const secret = built(
  secretObject({
    namespace: 'apps',
    connectionName: 'blob1',
    connectionId:
      '/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/c/providers/Microsoft.ServiceLinker/linkers/blob1',
    data: {
      AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'https://st.blob.core.windows.net/',
      AZURE_STORAGEBLOB_CLIENTID: 'abc',
    },
  }),
);

const serviceAccount = built(
  serviceAccountObject({ namespace: 'apps', clientId: '11111111-2222-3333-4444-555555555555' }),
);

const webhook = hostPortWebhookConfiguration({
  url: 'https://connector.example/api/hostports/admission/ref/token',
  caBundlePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
}) as unknown as KubeObject;

/** What an API server returns for `object` after our apply: server fields, no changes. */
function live(object: KubeObject, extra: Record<string, unknown> = {}): KubeObject {
  const copy = structuredClone(object) as Record<string, unknown> & { metadata: Record<string, unknown> };
  copy.metadata = {
    ...copy.metadata,
    uid: '6f1c0a4e-8d43-4c8e-9a51-0d1b2c3d4e5f',
    resourceVersion: '4711',
    creationTimestamp: '2026-01-01T00:00:00Z',
  };
  return { ...copy, ...extra } as KubeObject;
}

type Path = readonly (string | number)[];
type Edit = (root: unknown) => void;

function at(root: unknown, path: Path): Record<string, unknown> {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[String(key)], root) as Record<
    string,
    unknown
  >;
}

/** A copy of `object` with the edits applied (paths into its JSON). */
function edit(object: KubeObject, ...edits: Edit[]): KubeObject {
  const copy: unknown = structuredClone(object);
  for (const change of edits) change(copy);
  return copy as KubeObject;
}

const set =
  (path: Path, value: unknown): Edit =>
  (root) =>
    (at(root, path.slice(0, -1))[String(path.at(-1))] = value);
const remove =
  (path: Path): Edit =>
  (root) =>
    delete at(root, path.slice(0, -1))[String(path.at(-1))];
const push =
  (path: Path, ...items: unknown[]): Edit =>
  (root) =>
    (at(root, path) as unknown as unknown[]).push(...items);
const pop =
  (path: Path): Edit =>
  (root) =>
    (at(root, path) as unknown as unknown[]).pop();

/** Our manager's Apply entry, FieldsV1 as the API server writes it. */
function appliedBy(manager: string, fieldsV1: Record<string, unknown>) {
  return {
    manager,
    operation: 'Apply',
    apiVersion: 'v1',
    time: '2026-01-01T00:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1,
  };
}

const secretFields = {
  'f:data': { 'f:AZURE_STORAGEBLOB_CLIENTID': {}, 'f:AZURE_STORAGEBLOB_RESOURCEENDPOINT': {} },
  'f:metadata': {
    'f:annotations': {
      'f:connector-functions/connection-id': {},
      'f:connector-functions/connection-name': {},
    },
    'f:labels': { 'f:app.kubernetes.io/managed-by': {}, 'f:connector-functions/connection': {} },
  },
  'f:type': {},
};

describe('ownedFieldsDiffer', () => {
  it.each<[string, KubeObject, KubeObject | undefined, boolean]>([
    ['an absent object differs', secret, undefined, true],
    ['a Secret exactly as applied does not differ', secret, live(secret), false],
    [
      'a Secret whose data differs in one key differs',
      secret,
      edit(live(secret), set(['data', 'AZURE_STORAGEBLOB_CLIENTID'], b64('other'))),
      true,
    ],
    [
      'a Secret missing one of our keys differs',
      secret,
      edit(live(secret), remove(['data', 'AZURE_STORAGEBLOB_CLIENTID'])),
      true,
    ],
    [
      'a Secret with a key another manager added does not differ',
      secret,
      edit(live(secret), set(['data', 'EXTRA'], b64('theirs'))),
      false,
    ],
    [
      'a Secret still holding a key we applied before and no longer want differs',
      secret,
      edit(
        live(secret),
        set(['data', 'OLD_KEY'], b64('stale')),
        set(
          ['metadata', 'managedFields'],
          [
            appliedBy('connector-functions', {
              ...secretFields,
              'f:data': { ...secretFields['f:data'], 'f:OLD_KEY': {} },
            }),
          ],
        ),
      ),
      true,
    ],
    [
      'a Secret whose managed fields match what we apply does not differ',
      secret,
      edit(
        live(secret),
        set(['metadata', 'managedFields'], [appliedBy('connector-functions', secretFields)]),
      ),
      false,
    ],
    [
      "another manager's fields are not ours to remove",
      secret,
      edit(
        live(secret),
        set(['data', 'THEIRS'], b64('x')),
        set(
          ['metadata', 'managedFields'],
          [
            appliedBy('connector-functions', secretFields),
            appliedBy('kubectl', { 'f:data': { 'f:THEIRS': {} } }),
          ],
        ),
      ),
      false,
    ],
    [
      'extra labels and annotations added by someone else do not differ',
      secret,
      edit(
        live(secret),
        set(['metadata', 'labels', 'team'], 'payments'),
        set(['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration'], '{}'),
      ),
      false,
    ],
    [
      'a label of ours with another value differs',
      serviceAccount,
      edit(live(serviceAccount), set(['metadata', 'labels', 'app.kubernetes.io/managed-by'], 'helm')),
      true,
    ],
    [
      'a ServiceAccount without our client-id annotation differs',
      serviceAccount,
      edit(live(serviceAccount), remove(['metadata', 'annotations', 'azure.workload.identity/client-id'])),
      true,
    ],
    [
      'a ServiceAccount with token secrets the controller added does not differ',
      serviceAccount,
      live(serviceAccount, { secrets: [{ name: 'sc-account-token-x' }] }),
      false,
    ],
    [
      'a Secret given as stringData matches the base64 data the API server keeps',
      edit(
        secret,
        set(['stringData'], { AZURE_STORAGEBLOB_CLIENTID: 'abc' }),
        remove(['data', 'AZURE_STORAGEBLOB_CLIENTID']),
      ),
      live(secret),
      false,
    ],
    [
      'a webhook configuration with the fields the API server defaulted does not differ',
      webhook,
      edit(
        live(webhook),
        set(['webhooks', 0, 'objectSelector'], {}),
        set(['webhooks', 0, 'rules', 0, 'scope'], 'Namespaced'),
        set(['metadata', 'generation'], 1),
      ),
      false,
    ],
    [
      "a webhook configuration with AKS's namespaceSelector expressions appended does not differ",
      webhook,
      edit(
        live(webhook),
        push(
          ['webhooks', 0, 'namespaceSelector', 'matchExpressions'],
          { key: 'control-plane', operator: 'DoesNotExist' },
          { key: 'kubernetes.azure.com/managedby', operator: 'NotIn', values: ['aks'] },
        ),
      ),
      false,
    ],
    [
      'a webhook configuration with another webhook added by someone else does not differ',
      webhook,
      edit(live(webhook), push(['webhooks'], { name: 'other.example.com', sideEffects: 'None' })),
      false,
    ],
    [
      'a webhook configuration whose URL changed differs',
      webhook,
      edit(
        live(webhook),
        set(['webhooks', 0, 'clientConfig', 'url'], 'https://old.example/api/hostports/admission/r/t'),
      ),
      true,
    ],
    [
      'a webhook configuration whose CA bundle changed differs',
      webhook,
      edit(live(webhook), set(['webhooks', 0, 'clientConfig', 'caBundle'], b64('another CA'))),
      true,
    ],
    [
      'a webhook configuration excluding one namespace fewer differs',
      webhook,
      edit(live(webhook), pop(['webhooks', 0, 'namespaceSelector', 'matchExpressions', 0, 'values'])),
      true,
    ],
    [
      'a webhook configuration whose rule lacks an operation we want differs',
      edit(webhook, push(['webhooks', 0, 'rules', 0, 'operations'], 'UPDATE')),
      live(webhook),
      true,
    ],
    [
      'a webhook configuration without our webhook differs',
      webhook,
      edit(live(webhook), set(['webhooks', 0, 'name'], 'renamed.example.com')),
      true,
    ],
  ])('%s', (_name, desired, observed, expected) => {
    expect(ownedFieldsDiffer(desired, observed)).toBe(expected);
  });

  it.each<[string, unknown[], unknown[], boolean]>([
    [
      'container ports match by port and the defaulted protocol',
      [{ containerPort: 80 }],
      [{ containerPort: 80, protocol: 'TCP' }],
      false,
    ],
    [
      'a UDP port is not the TCP port we want',
      [{ containerPort: 80 }],
      [{ containerPort: 80, protocol: 'UDP' }],
      true,
    ],
    ['a finalizer set with another member added does not differ', ['ours'], ['theirs', 'ours'], false],
  ])('lists: %s', (_name, desiredList, liveList, expected) => {
    const field = typeof desiredList[0] === 'string' ? 'finalizers' : 'ports';
    const desired =
      field === 'finalizers'
        ? ({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'x', finalizers: desiredList },
          } as KubeObject)
        : ({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'x' },
            spec: { containers: [{ name: 'c', ports: desiredList }] },
          } as KubeObject);
    const observed =
      field === 'finalizers'
        ? ({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'x', finalizers: liveList },
          } as KubeObject)
        : ({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'x' },
            spec: { containers: [{ name: 'c', image: 'i', ports: liveList }] },
          } as KubeObject);
    expect(ownedFieldsDiffer(desired, observed)).toBe(expected);
  });
});
