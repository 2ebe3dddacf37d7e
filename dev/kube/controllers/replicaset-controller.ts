import { KubeError } from '../api/status.js';
import { replicaSets } from '../api/types-apps.js';
import { pods } from '../api/types-core-workloads.js';
import { arr, isObject, num, obj, str, type JsonObject } from '../core/json.js';
import { nameOf, ownerReferenceTo } from '../core/meta.js';
import type { ClusterCore } from '../cluster/core.js';
import { recordEvent } from '../cluster/system-writes.js';
import { createObject } from '../verbs/create.js';
import { deleteObject } from '../verbs/delete.js';
import { updateObject } from '../verbs/update.js';
import { ownedBy } from './deployment-controller.js';
import { controllerWrite } from './identities.js';

const writer = controllerWrite('replicaset-controller');

function isReady(pod: JsonObject): boolean {
  return (arr(obj(pod.status)?.conditions) ?? []).some(
    (c) => isObject(c) && c.type === 'Ready' && c.status === 'True',
  );
}

export interface ReplicaSetSync {
  /** The error that stopped pod creation, for a retry with backoff. */
  readonly failed: boolean;
}

/**
 * The ReplicaSet controller: pods from the template (generateName `<rs>-`, the template's
 * labels and annotations, a controller owner reference) created through the full admission
 * path, surplus pods deleted (not-ready and newest first), and the status counts.
 */
export async function syncReplicaSet(
  core: ClusterCore,
  namespace: string,
  name: string,
): Promise<ReplicaSetSync> {
  const rs = core.store.get(replicaSets, namespace, name);
  if (rs === undefined || obj(rs.metadata)?.deletionTimestamp !== undefined) return { failed: false };
  const spec = obj(rs.spec) ?? {};
  const desired = num(spec.replicas) ?? 1;
  const live = core.store
    .list(pods, namespace)
    .filter((p) => ownedBy(p, rs) && obj(p.metadata)?.deletionTimestamp === undefined);
  let failure: string | undefined;
  if (live.length < desired) {
    const template = obj(spec.template) ?? {};
    const tmeta = obj(template.metadata) ?? {};
    for (let i = live.length; i < desired; i++) {
      const metadata: JsonObject = {
        generateName: `${name}-`,
        namespace,
        ownerReferences: [ownerReferenceTo(rs, true)],
      };
      if (tmeta.labels !== undefined) metadata.labels = structuredClone(tmeta.labels);
      if (tmeta.annotations !== undefined) metadata.annotations = structuredClone(tmeta.annotations);
      try {
        const pod = await createObject(core, {
          type: pods,
          namespace,
          options: writer,
          body: { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? {}) },
        });
        recordEvent(
          core,
          rs,
          'replicaset-controller',
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${nameOf(pod)}`,
        );
      } catch (e) {
        if (!(e instanceof KubeError)) throw e;
        failure = e.message;
        recordEvent(
          core,
          rs,
          'replicaset-controller',
          'Warning',
          'FailedCreate',
          `Error creating: ${e.message}`,
        );
        break;
      }
    }
  } else if (live.length > desired) {
    const victims = [...live]
      .sort(
        (a, b) =>
          Number(isReady(a)) - Number(isReady(b)) ||
          (str(obj(b.metadata)?.creationTimestamp) ?? '').localeCompare(
            str(obj(a.metadata)?.creationTimestamp) ?? '',
          ),
      )
      .slice(0, live.length - desired);
    for (const p of victims) {
      await deleteObject(core, { type: pods, namespace, name: nameOf(p), options: writer });
      recordEvent(
        core,
        rs,
        'replicaset-controller',
        'Normal',
        'SuccessfulDelete',
        `Deleted pod: ${nameOf(p)}`,
      );
    }
  }
  await updateReplicaSetStatus(core, namespace, name, failure);
  return { failed: failure !== undefined };
}

async function updateReplicaSetStatus(
  core: ClusterCore,
  namespace: string,
  name: string,
  failure: string | undefined,
): Promise<void> {
  const rs = core.store.get(replicaSets, namespace, name);
  if (rs === undefined) return;
  const owned = core.store
    .list(pods, namespace)
    .filter((p) => ownedBy(p, rs) && obj(p.metadata)?.deletionTimestamp === undefined);
  const ready = owned.filter(isReady).length;
  const status: JsonObject = {
    replicas: owned.length,
    fullyLabeledReplicas: owned.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: obj(rs.metadata)?.generation ?? 1,
  };
  if (failure !== undefined) {
    status.conditions = [
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: core.now(),
        reason: 'FailedCreate',
        message: failure,
      },
    ];
  }
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
    if (status[k] === 0) delete status[k];
  if (JSON.stringify(obj(rs.status) ?? {}) === JSON.stringify(status)) return;
  await updateObject(core, {
    type: replicaSets,
    subresource: 'status',
    namespace,
    name,
    body: { ...structuredClone(rs), status },
    options: writer,
  });
}
