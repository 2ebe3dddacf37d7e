/**
 * validateLinker's network checks for an Arc cluster behind private link (SPEC §5, ADR 0110), from
 * the scope and the approved private endpoints the gather read. Pure: no read, no write.
 *
 * - `PrivateLinkRegion`: the cluster and its scope must share a region (failure otherwise), and so
 *   must each private endpoint and its virtual network. The endpoint's network may be in another
 *   region than the scope: that pair is not compared (ADR 0110).
 * - `PrivateLinkNetworkReadiness`: the NSG of each endpoint's subnet must allow the flows of
 *   `requiredFlows`. A warning, never a failure: the network may be opened elsewhere (a firewall
 *   appliance, another NSG on the cluster's own network).
 * A read that failed or a resource that is gone makes either check a warning: it could not be made.
 */
import { str, type ArmResource } from '../../targets/arm-body.js';
import { normalizedLocation } from '../private-link.js';
import { blockedFlows, blockedText, openingRuleCommand } from '../private-link-readiness.js';
import { endpointSubnetId, subnetNsgId, type PrivateEndpointTruth } from './gather-private-link.js';
import type { Observed } from './run.js';
import { item, passedWithNote, type ValidationItem } from './validation-item.js';

const regionCheck = {
  name: 'PrivateLinkRegion',
  description:
    "The cluster and its private link scope share a region, and each private endpoint is in its virtual network's region.",
};
const readinessCheck = {
  name: 'PrivateLinkNetworkReadiness',
  description:
    "The NSG of each private endpoint's subnet allows TCP 443 to Azure Active Directory, Azure Resource Manager, Azure Front Door (both ways) and Microsoft Container Registry.",
};

interface Finding {
  readonly result: 'failure' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly mitigation?: string;
}

function nameOf(id: string): string {
  return id.split('/').pop() ?? id;
}

/** The body read, or why there is none (a warning: the check could not be made). */
function present(
  observed: Observed<ArmResource | undefined>,
  what: string,
  id: string,
  notFoundCode: string,
): { value: ArmResource } | { finding: Finding } {
  if (observed.ok && observed.value !== undefined) return { value: observed.value };
  if (observed.ok)
    return {
      finding: { result: 'warning', code: notFoundCode, message: `The ${what} ${id} does not exist.` },
    };
  const error = observed.error;
  const code = (error as { reason?: string } | undefined)?.reason ?? 'NotRead';
  const why = error instanceof Error ? `: ${error.message}` : '.';
  return { finding: { result: 'warning', code, message: `The ${what} ${id} could not be read${why}` } };
}

/** The endpoint and its virtual network, or why its network cannot be checked. */
function endpointNetwork(
  truth: PrivateEndpointTruth,
): { finding: Finding } | { endpoint: ArmResource; vnet: ArmResource; subnetId: string } {
  const endpoint = present(truth.endpoint, 'private endpoint', truth.id, 'PrivateEndpointNotFound');
  if ('finding' in endpoint) return endpoint;
  const subnetId = endpointSubnetId(endpoint.value);
  if (subnetId === undefined || truth.vnet === undefined)
    return {
      finding: {
        result: 'warning',
        code: 'PrivateEndpointSubnetUnknown',
        message: `The private endpoint ${truth.id} names no subnet.`,
      },
    };
  const vnet = present(truth.vnet, 'virtual network of subnet', subnetId, 'VirtualNetworkNotFound');
  if ('finding' in vnet) return vnet;
  return { endpoint: endpoint.value, vnet: vnet.value, subnetId };
}

function asItem(check: { name: string; description: string }, findings: readonly Finding[]): ValidationItem {
  const worst = findings.find((f) => f.result === 'failure') ?? findings[0];
  if (worst === undefined) return item(check.name, check.description, 'success');
  const mitigations = [
    ...new Set(findings.flatMap((f) => (f.mitigation === undefined ? [] : [f.mitigation]))),
  ];
  return item(check.name, check.description, worst.result, {
    code: worst.code,
    message: findings.map((f) => f.message).join(' '),
    ...(mitigations.length === 0 ? {} : { mitigation: mitigations.join(' ') }),
  });
}

function regionOf(resource: ArmResource): string {
  return normalizedLocation(str(resource, 'location')) ?? '(no location)';
}

export function privateLinkRegionCheck(input: {
  readonly cluster: ArmResource;
  readonly scope: ArmResource;
  readonly endpoints: readonly PrivateEndpointTruth[];
}): ValidationItem {
  const { cluster, scope, endpoints } = input;
  const findings: Finding[] = [];
  if (regionOf(cluster) !== regionOf(scope))
    findings.push({
      result: 'failure',
      code: 'PrivateLinkRegionMismatch',
      message: `The cluster is in ${regionOf(cluster)} but its private link scope ${nameOf(str(scope, 'id') ?? '')} is in ${regionOf(scope)}; Azure Arc private link needs both in one region.`,
      mitigation: `Connect the cluster to an Azure Arc private link scope in ${regionOf(cluster)} (az connectedk8s connect --enable-private-link true --private-link-scope-resource-id <scope in ${regionOf(cluster)}>).`,
    });
  for (const truth of endpoints) {
    const network = endpointNetwork(truth);
    if ('finding' in network) findings.push(network.finding);
    else if (regionOf(network.endpoint) !== regionOf(network.vnet))
      findings.push({
        result: 'failure',
        code: 'PrivateLinkRegionMismatch',
        message: `The private endpoint ${nameOf(truth.id)} is in ${regionOf(network.endpoint)} but its virtual network ${nameOf(str(network.vnet, 'id') ?? '')} is in ${regionOf(network.vnet)}.`,
        mitigation: `Create the private endpoint in its virtual network's region (${regionOf(network.vnet)}).`,
      });
  }
  return asItem(regionCheck, findings);
}

export function privateLinkReadinessCheck(endpoints: readonly PrivateEndpointTruth[]): ValidationItem {
  const findings: Finding[] = [];
  const withoutNsg: string[] = [];
  for (const truth of endpoints) {
    const network = endpointNetwork(truth);
    if ('finding' in network) {
      findings.push(network.finding);
      continue;
    }
    const nsgId = subnetNsgId(network.vnet, network.subnetId);
    if (nsgId === undefined || truth.nsg === undefined) {
      withoutNsg.push(nameOf(truth.id));
      continue;
    }
    const nsg = present(truth.nsg, 'network security group', nsgId, 'NetworkSecurityGroupNotFound');
    if ('finding' in nsg) {
      findings.push(nsg.finding);
      continue;
    }
    const blocked = blockedFlows(nsg.value);
    if (blocked.length === 0) continue;
    findings.push({
      result: 'warning',
      code: 'PrivateLinkTrafficBlocked',
      message: `In NSG ${nameOf(nsgId)} (subnet of private endpoint ${nameOf(truth.id)}): ${blocked.map(blockedText).join('; ')}.`,
      mitigation: `Add to NSG ${nameOf(nsgId)}, unless a firewall appliance or another network path carries this traffic: ${blocked.map((b) => openingRuleCommand(nsgId, b)).join('; ')}.`,
    });
  }
  const { name, description } = readinessCheck;
  if (findings.length === 0 && withoutNsg.length > 0)
    return passedWithNote(
      name,
      description,
      `The subnet of private endpoint ${withoutNsg.join(', ')} has no network security group: no NSG rule there blocks Azure Arc's traffic.`,
    );
  return asItem(readinessCheck, findings);
}
