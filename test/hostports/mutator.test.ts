import { describe, expect, it } from 'vitest';
import {
  assignHostPorts,
  formatAssignedPorts,
  isAlreadyAssigned,
  parseAssignedPorts,
} from '../../shared/hostports/mutator.js';
import type { AssignedHostPort, OwnerReference, Pod } from '../../shared/hostports/types.js';
import { hostPortEnvName, workloadOf } from '../../shared/hostports/workload-name.js';
import { applyJsonPatch, diffJsonPatch } from '../../shared/util/json-patch.js';
import { pod } from './fixtures.js';

/** The seed's `kubectl describe` output: Host Ports 46645/TCP, 49482/TCP. */
const seedPorts: AssignedHostPort[] = [
  { container: 'echoserver-hostport', containerPort: 8080, protocol: 'TCP', hostPort: 46645 },
  { container: 'echoserver-hostport', containerPort: 8443, protocol: 'TCP', hostPort: 49482 },
];
const leaseId = 'default/~3f8c2f5e-9a51-4c1e-8f0b-4be6f0d1c2a7';

function owned(owner: Partial<OwnerReference> | undefined, labels: Record<string, string> = {}): Pod {
  const subject = pod('plain-pod');
  subject.metadata = { generateName: 'x-', labels };
  if (owner !== undefined) {
    subject.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', controller: true, ...owner },
    ];
  }
  return subject;
}

describe('workloadOf', () => {
  it.each([
    [
      "a Deployment's pod (ReplicaSet <deployment>-<pod-template-hash>)",
      owned({ name: 'echoserver-hostport-75dc8d8855' }, { 'pod-template-hash': '75dc8d8855' }),
      'Deployment',
      'echoserver-hostport',
    ],
    [
      'a bare ReplicaSet without the pod-template-hash label',
      owned({ name: 'frontend' }),
      'ReplicaSet',
      'frontend',
    ],
    [
      'a ReplicaSet whose name does not end with the hash',
      owned({ name: 'frontend' }, { 'pod-template-hash': '5d9c' }),
      'ReplicaSet',
      'frontend',
    ],
    [
      'a ReplicaSet named only by the hash',
      owned({ name: '-5d9c' }, { 'pod-template-hash': '5d9c' }),
      'ReplicaSet',
      '-5d9c',
    ],
    ['a StatefulSet', owned({ kind: 'StatefulSet', name: 'game' }), 'StatefulSet', 'game'],
    ['a DaemonSet', owned({ kind: 'DaemonSet', name: 'relay' }), 'DaemonSet', 'relay'],
    ['a Job', owned({ apiVersion: 'batch/v1', kind: 'Job', name: 'migrate' }), 'Job', 'migrate'],
    [
      "a CronJob's Job (the Job's name, run suffix included)",
      owned({ apiVersion: 'batch/v1', kind: 'Job', name: 'backup-28934521' }),
      'Job',
      'backup-28934521',
    ],
    [
      'another controller kind',
      owned({ apiVersion: 'game.kruise.io/v1alpha1', kind: 'GameServerSet', name: 'arena' }),
      'GameServerSet',
      'arena',
    ],
    ['owner references without a controller', owned({ name: 'x-1', controller: false }), 'Pod', 'x'],
    ['a bare pod named by generateName', owned(undefined), 'Pod', 'x'],
    ['a bare named pod', pod('plain-pod'), 'Pod', 'nginx'],
  ])('names %s', (_name, subject, kind, name) => {
    expect(workloadOf(subject)).toEqual({ kind, name });
  });
});

describe('hostPortEnvName', () => {
  it.each([
    ['echoserver-hostport', 8080, 'TCP', 'echoserver-hostport_PORT_8080_TCP_HOSTPORT'],
    ['mydeployment', 8080, 'TCP', 'mydeployment_PORT_8080_TCP_HOSTPORT'],
    ['game', 7777, 'UDP', 'game_PORT_7777_UDP_HOSTPORT'],
  ] as const)('keeps the name verbatim: %s %d/%s', (name, port, protocol, expected) => {
    expect(hostPortEnvName(name, port, protocol)).toBe(expected);
  });
});

describe('assignHostPorts', () => {
  it("mutates the seed's echoserver pod as AKS shows it", () => {
    const { pod: mutated, warnings } = assignHostPorts(pod('echoserver'), { leaseId, ports: seedPorts });
    const container = mutated.spec.containers[0];
    expect(container?.ports?.map((p) => [p.containerPort, p.hostPort])).toEqual([
      [8080, 46645],
      [8443, 49482],
    ]);
    expect(container?.env).toEqual([
      { name: 'echoserver-hostport_PORT_8080_TCP_HOSTPORT', value: '46645' },
      { name: 'echoserver-hostport_PORT_8443_TCP_HOSTPORT', value: '49482' },
    ]);
    expect(mutated.metadata?.annotations).toEqual({
      'kubernetes.azure.com/assign-hostports-for-containerports': '8080/tcp,8443/tcp',
      'hostports.connector-functions.io/lease': leaseId,
      'hostports.connector-functions.io/assigned':
        'echoserver-hostport:8080/TCP=46645,echoserver-hostport:8443/TCP=49482',
    });
    expect(warnings).toEqual([]);
  });

  it('leaves its input untouched', () => {
    const input = pod('echoserver');
    assignHostPorts(input, { leaseId, ports: seedPorts });
    expect(input).toEqual(pod('echoserver'));
  });

  it('yields a JSON patch that turns the original into the mutated pod', () => {
    const original = pod('echoserver');
    const { pod: mutated } = assignHostPorts(original, { leaseId, ports: seedPorts });
    const patch = diffJsonPatch(original, mutated);
    expect(patch).toEqual([
      { op: 'add', path: '/metadata/annotations/hostports.connector-functions.io~1lease', value: leaseId },
      {
        op: 'add',
        path: '/metadata/annotations/hostports.connector-functions.io~1assigned',
        value: 'echoserver-hostport:8080/TCP=46645,echoserver-hostport:8443/TCP=49482',
      },
      { op: 'add', path: '/spec/containers/0/ports/0/hostPort', value: 46645 },
      { op: 'add', path: '/spec/containers/0/ports/1/hostPort', value: 49482 },
      {
        op: 'add',
        path: '/spec/containers/0/env',
        value: [
          { name: 'echoserver-hostport_PORT_8080_TCP_HOSTPORT', value: '46645' },
          { name: 'echoserver-hostport_PORT_8443_TCP_HOSTPORT', value: '49482' },
        ],
      },
    ]);
    expect(applyJsonPatch(original, patch)).toEqual(mutated);
  });

  it('appends to an existing env list and reaches ports in the second container', () => {
    const original = pod('statefulset');
    const ports: AssignedHostPort[] = [
      { container: 'server', containerPort: 7777, protocol: 'UDP', hostPort: 51000 },
      { container: 'metrics', containerPort: 9100, protocol: 'TCP', hostPort: 41000 },
    ];
    const { pod: mutated } = assignHostPorts(original, { leaseId: 'games/game-0', ports });
    const patch = diffJsonPatch(original, mutated);
    expect(patch).toContainEqual({
      op: 'add',
      path: '/spec/containers/0/env/-',
      value: { name: 'game_PORT_7777_UDP_HOSTPORT', value: '51000' },
    });
    expect(patch).toContainEqual({
      op: 'add',
      path: '/spec/containers/1/env',
      value: [{ name: 'game_PORT_9100_TCP_HOSTPORT', value: '41000' }],
    });
    expect(mutated.spec.containers[0]?.env?.[0]).toEqual({ name: 'LOG_LEVEL', value: 'info' });
    expect(applyJsonPatch(original, patch)).toEqual(mutated);
  });

  it('replaces a variable of the same name, and says so', () => {
    const original = pod('echoserver');
    original.spec.containers[0]!.env = [{ name: 'echoserver-hostport_PORT_8080_TCP_HOSTPORT', value: '1' }];
    const { pod: mutated, warnings } = assignHostPorts(original, { leaseId, ports: seedPorts });
    expect(mutated.spec.containers[0]?.env?.[0]).toEqual({
      name: 'echoserver-hostport_PORT_8080_TCP_HOSTPORT',
      value: '46645',
    });
    expect(warnings).toEqual([
      "container 'echoserver-hostport': replaced env echoserver-hostport_PORT_8080_TCP_HOSTPORT with the assigned host port 46645",
    ]);
  });

  it('creates the annotations map when the pod has none', () => {
    const original = pod('plain-pod');
    const { pod: mutated } = assignHostPorts(original, {
      leaseId: 'web/nginx',
      ports: [{ container: 'nginx', containerPort: 80, protocol: 'TCP', hostPort: 40001 }],
    });
    const patch = diffJsonPatch(original, mutated);
    expect(patch[0]).toEqual({
      op: 'add',
      path: '/metadata/annotations',
      value: {
        'hostports.connector-functions.io/lease': 'web/nginx',
        'hostports.connector-functions.io/assigned': 'nginx:80/TCP=40001',
      },
    });
    expect(applyJsonPatch(original, patch)).toEqual(mutated);
  });

  it('refuses an assignment for a port the pod does not have (a bug, not input)', () => {
    expect(() =>
      assignHostPorts(pod('echoserver'), {
        leaseId,
        ports: [{ container: 'echoserver-hostport', containerPort: 9999, protocol: 'TCP', hostPort: 40000 }],
      }),
    ).toThrow("container 'echoserver-hostport' has no port 9999/TCP");
  });
});

describe('reinvocation', () => {
  it('recognises a pod it already handled, whose diff is then empty', () => {
    const { pod: mutated } = assignHostPorts(pod('echoserver'), { leaseId, ports: seedPorts });
    expect(isAlreadyAssigned(mutated)).toBe(true);
    expect(isAlreadyAssigned(pod('echoserver'))).toBe(false);
    expect(diffJsonPatch(mutated, structuredClone(mutated))).toEqual([]);
  });

  it('reads back the assigned annotation it wrote', () => {
    expect(parseAssignedPorts(formatAssignedPorts(seedPorts))).toEqual(seedPorts);
  });

  it.each([['garbage'], ['web:80/SCTP=1'], ['']])(
    'ignores an assigned annotation it cannot read: %s',
    (value) => {
      expect(parseAssignedPorts(value)).toBeUndefined();
    },
  );
});
