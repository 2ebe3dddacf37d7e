import { randomBytes } from 'node:crypto';
import { errors } from '../api/status.js';
import { serviceAccounts } from '../api/types-core-config.js';
import { arr, child, isObject, type JsonObject } from '../core/json.js';
import { admissionNameOf } from '../core/meta.js';
import type { ObjectStore } from '../store/object-store.js';

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** utilrand.String: the alphabet the API server and controllers use for generated suffixes. */
export function randomSuffix(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphanums[b % alphanums.length] ?? 'b';
  return out;
}

const tokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The in-tree mutating plugins that run on pod CREATE before the webhooks: ServiceAccount (default
 * account, projected API token volume), DefaultTolerationSeconds and Priority.
 */
export function admitPodCreate(store: ObjectStore, pod: JsonObject, namespace: string): void {
  const spec = child(pod, 'spec');
  const account =
    typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== ''
      ? spec.serviceAccountName
      : 'default';
  spec.serviceAccountName = account;
  spec.serviceAccount = account;
  const sa = store.get(serviceAccounts, namespace, account);
  if (sa === undefined) {
    throw errors.forbidden(
      { group: '', resource: 'pods' },
      admissionNameOf(pod),
      `error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`,
    );
  }
  const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
  if (automount !== false) {
    const volumes = arr(spec.volumes) ?? [];
    let volumeName = volumes
      .filter(isObject)
      .find((v) => typeof v.name === 'string' && v.name.startsWith('kube-api-access-'))?.name as
      string | undefined;
    if (volumeName === undefined) {
      volumeName = `kube-api-access-${randomSuffix(5)}`;
      volumes.push({
        name: volumeName,
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            {
              downwardAPI: {
                items: [
                  { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
                ],
              },
            },
          ],
          defaultMode: 420,
        },
      });
      spec.volumes = volumes;
    }
    for (const c of arr(spec.containers) ?? []) {
      if (!isObject(c)) continue;
      const mounts = arr(c.volumeMounts) ?? [];
      if (!mounts.some((m) => isObject(m) && m.mountPath === tokenMountPath)) {
        mounts.push({ name: volumeName, readOnly: true, mountPath: tokenMountPath });
        c.volumeMounts = mounts;
      }
    }
  }
  const tolerations = arr(spec.tolerations) ?? [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => isObject(t) && t.key === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
  spec.priority ??= 0;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}
