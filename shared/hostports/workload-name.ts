/**
 * The name in `<deployment name>_PORT_<port>_<PROTOCOL>_HOSTPORT`, read from the pod alone (an
 * admission webhook must answer quickly and has no credentials for the cluster's API):
 *
 * | the pod's controller (ownerReferences[controller=true]) | name used |
 * | --- | --- |
 * | ReplicaSet `<d>-<h>`, pod label `pod-template-hash: <h>` | the Deployment `<d>` |
 * | ReplicaSet without that label or suffix (a bare ReplicaSet) | the ReplicaSet |
 * | StatefulSet, DaemonSet, Job, or any other controller kind | that controller |
 * | none (a bare pod) | the pod's name, else its generateName without the trailing `-` |
 *
 * A CronJob's pods are owned by a Job named `<cronjob>-<scheduled minute>`, and a pod does not show
 * its Job's owner, so their variables carry the Job's name; guessing the CronJob from a numeric
 * suffix would misname a Job the user named `backup-20240101`.
 */
import type { OwnerReference, Pod, Protocol } from './types.js';

export interface Workload {
  readonly kind: string;
  readonly name: string;
}

const podTemplateHashLabel = 'pod-template-hash';

function controllerOf(pod: Pod): OwnerReference | undefined {
  return pod.metadata?.ownerReferences?.find((o) => o.controller === true);
}

export function workloadOf(pod: Pod): Workload {
  const owner = controllerOf(pod);
  if (owner === undefined) {
    const name = pod.metadata?.name ?? pod.metadata?.generateName?.replace(/-+$/, '') ?? 'pod';
    return { kind: 'Pod', name: name === '' ? 'pod' : name };
  }
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.metadata?.labels?.[podTemplateHashLabel];
    const suffix = `-${hash ?? ''}`;
    if (
      hash !== undefined &&
      hash !== '' &&
      owner.name.endsWith(suffix) &&
      owner.name.length > suffix.length
    ) {
      return { kind: 'Deployment', name: owner.name.slice(0, -suffix.length) };
    }
  }
  return { kind: owner.kind, name: owner.name };
}

/** `echoserver-hostport_PORT_8080_TCP_HOSTPORT`: the workload name verbatim (dashes kept), as AKS does. */
export function hostPortEnvName(workloadName: string, containerPort: number, protocol: Protocol): string {
  return `${workloadName}_PORT_${containerPort}_${protocol}_HOSTPORT`;
}
