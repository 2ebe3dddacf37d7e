/**
 * What a selected node pool needs so that auto-assigned host ports are reachable (SPEC §3, ADR
 * 0044): `networkProfile.allowedHostPorts` covering 40000-59999 for TCP and UDP (the user's ranges
 * kept), and, when an ASG is given, that ASG in `networkProfile.applicationSecurityGroups` (the
 * user's ASGs kept). Pure: the step gathers the pool body and applies the plan with a conditional
 * full-body PUT. We only ever add: removing a range or an ASG could cut traffic someone else set up.
 */
import { list, str, type ArmResource } from '../../targets/arm-body.js';
import { armIdKey } from '../../util/arm-id.js';
import { planAllowedHostPorts, type AgentPoolPortRange } from '../allowed-host-ports.js';

export type NodePoolPlan =
  | { readonly action: 'none' }
  /** The pool needs these network profile fields; PUT the full body with them (nodePoolBody). */
  | {
      readonly action: 'update';
      readonly allowedHostPorts: readonly AgentPoolPortRange[];
      readonly applicationSecurityGroups: readonly string[];
      /** What changes, for the report (`40000-59999/tcp`, an ASG name). */
      readonly adds: readonly string[];
    }
  /** An operation runs on the pool: look again on the next pass. */
  | { readonly action: 'wait'; readonly provisioningState: string }
  /** The pool cannot be changed now and waiting a few seconds will not help (stopped). */
  | { readonly action: 'blocked'; readonly reason: string; readonly message: string };

const settledStates = ['succeeded', 'failed', 'canceled'];

/** Works on an agent pool GET body (`properties.…`) and on a cluster's `agentPoolProfiles` entry. */
function poolProperties(pool: ArmResource | Record<string, unknown>): Record<string, unknown> {
  const props = (pool as ArmResource).properties;
  return props !== undefined && typeof props === 'object' ? props : (pool as Record<string, unknown>);
}

export function poolProvisioningState(pool: ArmResource | Record<string, unknown>): string | undefined {
  return str(poolProperties(pool), 'provisioningState');
}

export function poolSubnetId(pool: ArmResource | Record<string, unknown>): string | undefined {
  return str(poolProperties(pool), 'vnetSubnetID');
}

export function poolAsgs(pool: ArmResource | Record<string, unknown>): string[] {
  return list(poolProperties(pool), 'networkProfile', 'applicationSecurityGroups').filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
}

function portRanges(pool: ArmResource | Record<string, unknown>): AgentPoolPortRange[] {
  return list(poolProperties(pool), 'networkProfile', 'allowedHostPorts').filter(
    (r): r is AgentPoolPortRange => r !== null && typeof r === 'object',
  );
}

function lastSegment(id: string): string {
  return (
    id
      .split('/')
      .filter((s) => s !== '')
      .pop() ?? id
  );
}

export function planNodePool(
  pool: ArmResource | Record<string, unknown>,
  givenAsg: string | undefined,
): NodePoolPlan {
  const state = poolProvisioningState(pool) ?? 'Succeeded';
  const ranges = portRanges(pool);
  const asgs = poolAsgs(pool);
  const newRanges = planAllowedHostPorts(ranges);
  const asgMissing = givenAsg !== undefined && !asgs.some((a) => armIdKey(a) === armIdKey(givenAsg));
  if (newRanges === undefined && !asgMissing) return { action: 'none' };
  if (!settledStates.includes(state.toLowerCase())) return { action: 'wait', provisioningState: state };
  if (str(poolProperties(pool), 'powerState', 'code')?.toLowerCase() === 'stopped') {
    return {
      action: 'blocked',
      reason: 'NodePoolStopped',
      message: 'the pool is stopped; AKS does not update stopped pools',
    };
  }
  const added = (newRanges ?? ranges).slice(ranges.length);
  return {
    action: 'update',
    allowedHostPorts: newRanges ?? ranges,
    applicationSecurityGroups: asgMissing ? [...asgs, givenAsg] : asgs,
    adds: [
      ...added.map((r) => `${r.portStart ?? ''}-${r.portEnd ?? ''}/${(r.protocol ?? '').toLowerCase()}`),
      ...(asgMissing ? [`ASG ${lastSegment(givenAsg)}`] : []),
    ],
  };
}

/**
 * The PUT body: the pool as read, with the planned network profile fields (every other field,
 * including the rest of `networkProfile`, as it was: AKS's agent pool PUT replaces the whole pool).
 */
export function nodePoolBody(
  read: ArmResource,
  plan: Extract<NodePoolPlan, { action: 'update' }>,
): ArmResource {
  const properties = read.properties ?? {};
  const network = (properties['networkProfile'] ?? {}) as Record<string, unknown>;
  return {
    ...read,
    properties: {
      ...properties,
      networkProfile: {
        ...network,
        allowedHostPorts: plan.allowedHostPorts.map((r) => ({ ...r })),
        ...(plan.applicationSecurityGroups.length === 0
          ? {}
          : { applicationSecurityGroups: [...plan.applicationSecurityGroups] }),
      },
    },
  };
}
