/**
 * Which clusters depend on which Azure resources, so that an ARM event about a public IP, a NAT
 * gateway, a target or an identity becomes work for exactly the clusters that use it. The
 * reconciler records a cluster's dependencies every time it gathers them; the Event Grid trigger
 * only looks them up (it never reads ARM: it has 30 seconds).
 */

export type DependencyRole =
  /** Public IPs, prefixes, NAT gateways, subnets, scale sets the cluster's egress comes from. */
  | 'egress'
  /** A connection's target resource (its firewall, its keys, role assignments at its scope). */
  | 'target'
  /** A user-assigned identity holding a federated credential for the cluster. */
  | 'identity';

export interface Dependency {
  readonly resourceId: string;
  readonly role: DependencyRole;
}

export interface DependencyIndex {
  /** Replaces the cluster's recorded dependencies (adds new ones, removes the ones it no longer has). */
  record(clusterId: string, dependencies: readonly Dependency[]): Promise<void>;
  /** Clusters that recorded `resourceId` (compared case-insensitively), with the role they recorded it in. */
  clustersDependingOn(resourceId: string): Promise<readonly { clusterId: string; role: DependencyRole }[]>;
  /** Forgets a cluster (after its deletion was cleaned up). */
  forget(clusterId: string): Promise<void>;
}
