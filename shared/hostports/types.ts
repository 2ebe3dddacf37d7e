/**
 * Vocabulary shared by the host-port modules: protocols, the auto-assignment range, the annotations
 * the feature reads and writes, and the narrow Pod shape the admission path works on.
 */

/** Kubernetes and ARM spell protocols in upper case; the spec strings use lower case. */
export type Protocol = 'TCP' | 'UDP';
export const protocols: readonly Protocol[] = ['TCP', 'UDP'];

export interface PortInterval {
  readonly start: number;
  readonly end: number;
}

/** AKS's auto-assignment range (SPEC §3): 20,000 ports per protocol. */
export const autoAssignRange: PortInterval = { start: 40000, end: 59999 };

/** Set by the user on the pod template: `8080/tcp,8443/tcp` (AKS's annotation, same meaning). */
export const assignHostPortsAnnotation = 'kubernetes.azure.com/assign-hostports-for-containerports';

/**
 * Written by the webhook on the pod. The lease id names the allocation in the store (repair matches
 * live pods to leases through it); the assigned list is the durable record on the object itself, so
 * the store can be rebuilt from pods (the NodePort repair loop's idea).
 */
export const leaseAnnotation = 'hostports.connector-functions.io/lease';
export const assignedAnnotation = 'hostports.connector-functions.io/assigned';

/** The most entries one pod may ask for: one store transaction holds them all (limit 100 entities). */
export const maxPortsPerPod = 64;

/** One container port that gets a host port. */
export interface HostPortRequest {
  readonly container: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

/** A request with the host port the allocator gave it. */
export interface AssignedHostPort extends HostPortRequest {
  readonly hostPort: number;
}

// The Pod shape the admission path reads. Index signatures keep every field we do not know about:
// the mutator works on a copy of the whole object and the patch is a diff, so nothing is lost.

export interface ContainerPort {
  containerPort: number;
  protocol?: string;
  hostPort?: number;
  name?: string;
  [field: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  [field: string]: unknown;
}

export interface Container {
  name: string;
  ports?: ContainerPort[];
  env?: EnvVar[];
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  hostNetwork?: boolean;
  [field: string]: unknown;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec: PodSpec;
  [field: string]: unknown;
}

/** `8080/TCP` */
export function portKey(port: { containerPort: number; protocol: Protocol }): string {
  return `${port.containerPort}/${port.protocol}`;
}

/** Kubernetes defaults a container port's protocol to TCP. */
export function containerPortProtocol(port: ContainerPort): string {
  return (port.protocol ?? 'TCP').toUpperCase();
}
