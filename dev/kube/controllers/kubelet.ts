import { randomBytes } from 'node:crypto';
import { nodes, pods } from '../api/types-core-workloads.js';
import { arr, child, isObject, obj, str, type JsonObject } from '../core/json.js';
import { nameOf } from '../core/meta.js';
import type { ClusterCore } from '../cluster/core.js';
import { recordEvent, systemUpdate } from '../cluster/system-writes.js';
import { updateObject } from '../verbs/update.js';
import { kubeletWrite } from './identities.js';

function internalIp(node: JsonObject): string {
  const addr = (arr(obj(node.status)?.addresses) ?? []).find((a) => isObject(a) && a.type === 'InternalIP');
  return isObject(addr) ? (str(addr.address) ?? '') : '';
}

/**
 * The scheduler and the kubelets, collapsed: a new pod is bound to the least loaded node (the
 * binding subresource bypasses webhooks in this emulator) and promptly reported Running and
 * Ready with a pod IP from the node's pod CIDR and the node's InternalIP as host IP.
 */
export async function runPod(core: ClusterCore, namespace: string, name: string): Promise<void> {
  const pod = core.store.get(pods, namespace, name);
  if (pod === undefined || obj(pod.metadata)?.deletionTimestamp !== undefined) return;
  const spec = obj(pod.spec) ?? {};
  const allNodes = core.store.list(nodes, '');
  if (allNodes.length === 0) return;
  let nodeName = str(spec.nodeName) ?? '';
  if (nodeName === '') {
    const load = (n: JsonObject): number =>
      core.store.list(pods).filter((p) => obj(p.spec)?.nodeName === nameOf(n)).length;
    const target = [...allNodes].sort((a, b) => load(a) - load(b))[0];
    if (target === undefined) return;
    nodeName = nameOf(target);
    const bound: JsonObject = structuredClone(pod);
    child(bound, 'spec').nodeName = nodeName;
    systemUpdate(core, pods, bound);
    recordEvent(
      core,
      bound,
      'default-scheduler',
      'Normal',
      'Scheduled',
      `Successfully assigned ${namespace}/${name} to ${nodeName}`,
    );
  }
  const current = core.store.get(pods, namespace, name);
  if (current === undefined || str(obj(current.status)?.phase) === 'Running') return;
  const node = allNodes.find((n) => nameOf(n) === nodeName);
  const nodeIndex = Math.max(
    0,
    allNodes.findIndex((n) => nameOf(n) === nodeName),
  );
  const hostIP = node === undefined ? '' : internalIp(node);
  const podIP = `10.244.${nodeIndex}.${2 + ((randomBytes(1)[0] ?? 0) % 250)}`;
  const now = core.now();
  const containers = (arr(obj(current.spec)?.containers) ?? []).filter(isObject);
  const condition = (type: string): JsonObject => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: now,
  });
  const status: JsonObject = {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
      condition,
    ),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    containerStatuses: containers.map((c) => ({
      name: str(c.name) ?? '',
      state: { running: { startedAt: now } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: str(c.image) ?? '',
      imageID: `${str(c.image) ?? ''}@sha256:${randomBytes(32).toString('hex')}`,
      containerID: `containerd://${randomBytes(32).toString('hex')}`,
      started: true,
    })),
    qosClass: 'BestEffort',
  };
  await updateObject(core, {
    type: pods,
    subresource: 'status',
    namespace,
    name,
    body: { ...structuredClone(current), status },
    options: kubeletWrite,
  });
}
