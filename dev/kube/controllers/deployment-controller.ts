import { deployments, replicaSets } from '../api/types-apps.js';
import { arr, child, num, obj, str, type JsonObject } from '../core/json.js';
import { nameOf, namespaceOf, ownerReferenceTo, ownerReferencesOf, uidOf } from '../core/meta.js';
import type { ClusterCore } from '../cluster/core.js';
import { recordEvent } from '../cluster/system-writes.js';
import { createObject } from '../verbs/create.js';
import { patchObject } from '../verbs/patch.js';
import { updateObject } from '../verbs/update.js';
import { controllerWrite } from './identities.js';
import { podTemplateHash } from './pod-template-hash.js';

const writer = controllerWrite('deployment-controller');

export function ownedBy(o: JsonObject, owner: JsonObject): boolean {
  return ownerReferencesOf(o).some((r) => r.uid === uidOf(owner) && r.controller === true);
}

function revisionOf(rs: JsonObject): number {
  return Number(str(obj(obj(rs.metadata)?.annotations)?.['deployment.kubernetes.io/revision']) ?? '0');
}

async function scaleReplicaSet(
  core: ClusterCore,
  rs: JsonObject,
  replicas: number,
  d: JsonObject,
): Promise<void> {
  const from = num(obj(rs.spec)?.replicas) ?? 0;
  if (from === replicas) return;
  await patchObject(core, {
    type: replicaSets,
    subresource: '',
    namespace: namespaceOf(rs),
    name: nameOf(rs),
    contentType: 'application/merge-patch+json',
    rawBody: JSON.stringify({
      metadata: {
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas),
        },
      },
      spec: { replicas },
    }),
    options: writer,
  });
  recordEvent(
    core,
    d,
    'deployment-controller',
    'Normal',
    'ScalingReplicaSet',
    `Scaled ${replicas > from ? 'up' : 'down'} replica set ${nameOf(rs)} from ${from} to ${replicas}`,
  );
}

/**
 * The deployment controller, reduced to "recreate at once": the template's hash names the
 * current ReplicaSet (`<deployment>-<hash>`), which gets `spec.replicas`; older ones scale to 0.
 */
export async function syncDeployment(core: ClusterCore, namespace: string, name: string): Promise<void> {
  const d = core.store.get(deployments, namespace, name);
  if (d === undefined || obj(d.metadata)?.deletionTimestamp !== undefined) return;
  const spec = obj(d.spec) ?? {};
  const template: JsonObject = structuredClone(obj(spec.template) ?? {});
  const replicas = num(spec.replicas) ?? 1;
  const hash = podTemplateHash(template, num(obj(d.status)?.collisionCount) ?? 0);
  const owned = core.store.list(replicaSets, namespace).filter((rs) => ownedBy(rs, d));
  let current = owned.find((rs) => nameOf(rs) === `${name}-${hash}`);
  if (current === undefined) {
    const labels = { ...(obj(obj(template.metadata)?.labels) ?? {}), 'pod-template-hash': hash };
    child(template, 'metadata').labels = labels;
    const selector: JsonObject = structuredClone(obj(spec.selector) ?? {});
    child(selector, 'matchLabels')['pod-template-hash'] = hash;
    const revision = Math.max(0, ...owned.map(revisionOf)) + 1;
    current = await createObject(core, {
      type: replicaSets,
      namespace,
      options: writer,
      body: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas),
            'deployment.kubernetes.io/revision': String(revision),
          },
          ownerReferences: [ownerReferenceTo(d, true)],
        },
        spec: { replicas, minReadySeconds: num(spec.minReadySeconds) ?? 0, selector, template },
      },
    });
    recordEvent(
      core,
      d,
      'deployment-controller',
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${nameOf(current)} from 0 to ${replicas}`,
    );
  } else {
    await scaleReplicaSet(core, current, replicas, d);
  }
  for (const old of owned) if (nameOf(old) !== nameOf(current)) await scaleReplicaSet(core, old, 0, d);
  await updateDeploymentStatus(core, namespace, name, nameOf(current));
}

async function updateDeploymentStatus(
  core: ClusterCore,
  namespace: string,
  name: string,
  currentRs: string,
): Promise<void> {
  const d = core.store.get(deployments, namespace, name);
  if (d === undefined) return;
  const owned = core.store.list(replicaSets, namespace).filter((rs) => ownedBy(rs, d));
  const sum = (f: string): number => owned.reduce((n, rs) => n + (num(obj(rs.status)?.[f]) ?? 0), 0);
  const desired = num(obj(d.spec)?.replicas) ?? 1;
  const current = owned.find((rs) => nameOf(rs) === currentRs);
  const replicas = sum('replicas');
  const available = sum('availableReplicas');
  const now = core.now();
  const previous = (arr(obj(d.status)?.conditions) ?? []).filter(
    (c): c is JsonObject => obj(c) !== undefined,
  );
  const condition = (type: string, status: string, reason: string, message: string): JsonObject => {
    const before = previous.find((c) => c.type === type);
    const same = before?.status === status;
    return {
      type,
      status,
      lastUpdateTime: now,
      lastTransitionTime: same ? (before?.lastTransitionTime ?? now) : now,
      reason,
      message,
    };
  };
  const status: JsonObject = {
    observedGeneration: obj(d.metadata)?.generation ?? 1,
    replicas,
    updatedReplicas: num(obj(current?.status)?.replicas) ?? 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    conditions: [
      available >= desired
        ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : condition(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
          ),
      condition(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${currentRs}" has successfully progressed.`,
      ),
    ],
  };
  if (replicas - available > 0) status.unavailableReplicas = replicas - available;
  for (const k of Object.keys(status)) if (status[k] === 0) delete status[k];
  const compare = (s: JsonObject | undefined): string =>
    JSON.stringify({
      ...s,
      conditions: (arr(s?.conditions) ?? []).map((c) => ({
        ...obj(c),
        lastUpdateTime: '',
        lastTransitionTime: '',
      })),
    });
  if (compare(obj(d.status)) === compare(status)) return;
  await updateObject(core, {
    type: deployments,
    subresource: 'status',
    namespace,
    name,
    body: { ...structuredClone(d), status },
    options: writer,
  });
}
