/**
 * The pure admission mutator: given a pod and the host ports allocated for it, returns a changed
 * copy (the caller diffs the two into a JSON patch; the input is never touched).
 */
import {
  assignedAnnotation,
  containerPortProtocol,
  leaseAnnotation,
  type AssignedHostPort,
  type Pod,
  type Protocol,
} from './types.js';
import { hostPortEnvName, workloadOf } from './workload-name.js';

export interface HostPortAssignment {
  /** The store's lease id; written on the pod so that the repair pass can match pods to leases. */
  readonly leaseId: string;
  readonly ports: readonly AssignedHostPort[];
}

export interface MutationResult {
  readonly pod: Pod;
  /** Things the user may want to know (returned as admission warnings). */
  readonly warnings: readonly string[];
}

/** A pod the webhook already handled (reinvocation, or a retried request with our patch applied). */
export function isAlreadyAssigned(pod: Pod): boolean {
  const value = pod.metadata?.annotations?.[leaseAnnotation];
  return value !== undefined && value !== '';
}

/** `web:8080/TCP=46645,web:8443/TCP=49482` */
export function formatAssignedPorts(ports: readonly AssignedHostPort[]): string {
  return ports.map((p) => `${p.container}:${p.containerPort}/${p.protocol}=${p.hostPort}`).join(',');
}

const assignedEntry = /^([^:,=]+):(\d+)\/(TCP|UDP)=(\d+)$/;

/** Reads our assigned annotation back; undefined when it is absent or not ours to read. */
export function parseAssignedPorts(value: string | undefined): AssignedHostPort[] | undefined {
  if (value === undefined || value === '') return undefined;
  const ports: AssignedHostPort[] = [];
  for (const entry of value.split(',')) {
    const match = assignedEntry.exec(entry);
    if (match === null) return undefined;
    const [, container = '', containerPort = '', protocol = '', hostPort = ''] = match;
    ports.push({
      container,
      containerPort: Number(containerPort),
      protocol: protocol as Protocol,
      hostPort: Number(hostPort),
    });
  }
  return ports;
}

/**
 * Sets `hostPort` on each assigned container port, adds the `<workload>_PORT_<port>_<PROTOCOL>_HOSTPORT`
 * variable to that container (replacing one of the same name: the assigned value is the truth), and
 * records the lease and the ports in annotations.
 */
export function assignHostPorts(pod: Pod, assignment: HostPortAssignment): MutationResult {
  const copy = structuredClone(pod);
  const warnings: string[] = [];
  const workload = workloadOf(copy);
  for (const assigned of assignment.ports) {
    const container = copy.spec.containers.find((c) => c.name === assigned.container);
    const port = container?.ports?.find(
      (p) => p.containerPort === assigned.containerPort && containerPortProtocol(p) === assigned.protocol,
    );
    if (container === undefined || port === undefined) {
      // The assignment was computed from this very pod, so this is a bug, not bad input.
      throw new Error(
        `assignHostPorts: container '${assigned.container}' has no port ${assigned.containerPort}/${assigned.protocol}`,
      );
    }
    port.hostPort = assigned.hostPort;
    const name = hostPortEnvName(workload.name, assigned.containerPort, assigned.protocol);
    const value = String(assigned.hostPort);
    const env = (container.env ??= []);
    const existing = env.findIndex((e) => e.name === name);
    if (existing === -1) {
      env.push({ name, value });
    } else if (JSON.stringify(env[existing]) !== JSON.stringify({ name, value })) {
      warnings.push(
        `container '${container.name}': replaced env ${name} with the assigned host port ${value}`,
      );
      env[existing] = { name, value };
    }
  }
  const metadata = (copy.metadata ??= {});
  metadata.annotations = {
    ...metadata.annotations,
    [leaseAnnotation]: assignment.leaseId,
    [assignedAnnotation]: formatAssignedPorts(assignment.ports),
  };
  return { pod: copy, warnings };
}
