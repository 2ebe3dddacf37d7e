import { jsonPatch } from './webhook-server.js';

const annotation = 'kubernetes.azure.com/assign-hostports-for-containerports';

interface PodLike {
  metadata?: { annotations?: Record<string, string>; generateName?: string; labels?: Record<string, string> };
  spec?: { containers?: { ports?: { containerPort: number; protocol?: string }[]; env?: unknown[] }[] };
}

/**
 * A small AKS-style host-port mutator written for these tests: for every `port/proto` in the pod
 * annotation it sets a hostPort on the matching container port and adds the
 * `<deployment>_PORT_<port>_<PROTO>_HOSTPORT` env var, returning a JSONPatch.
 */
export function hostPortMutator(
  firstPort: number,
): (request: Record<string, unknown>) => Record<string, unknown> {
  let next = firstPort;
  return (request) => {
    const pod = request.object as PodLike;
    const wanted = pod.metadata?.annotations?.[annotation];
    if (wanted === undefined) return { uid: request.uid, allowed: true };
    const hash = pod.metadata?.labels?.['pod-template-hash'] ?? '';
    const deployment = (pod.metadata?.generateName ?? '').replace(new RegExp(`-${hash}-$`), '');
    const ops: object[] = [];
    (pod.spec?.containers ?? []).forEach((c, ci) => {
      if (c.env === undefined) ops.push({ op: 'add', path: `/spec/containers/${ci}/env`, value: [] });
      for (const spec of wanted.split(',')) {
        const [portText = '', proto = 'tcp'] = spec.split('/');
        const pi = (c.ports ?? []).findIndex(
          (p) => p.containerPort === Number(portText) && (p.protocol ?? 'TCP') === proto.toUpperCase(),
        );
        if (pi < 0) continue;
        const hostPort = next++;
        ops.push({ op: 'add', path: `/spec/containers/${ci}/ports/${pi}/hostPort`, value: hostPort });
        ops.push({
          op: 'add',
          path: `/spec/containers/${ci}/env/-`,
          value: {
            name: `${deployment}_PORT_${portText}_${proto.toUpperCase()}_HOSTPORT`,
            value: String(hostPort),
          },
        });
      }
    });
    return { uid: request.uid, allowed: true, ...jsonPatch(ops) };
  };
}
