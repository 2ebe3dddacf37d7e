/**
 * Agent pool properties as AKS validates and defaults them (research k8s-side.md §1.2): name rules,
 * count, mode, instance-level public IPs (`enableNodePublicIP`, `nodePublicIPPrefixID`), the pool
 * network profile (`allowedHostPorts` port ranges, `applicationSecurityGroups`, `nodePublicIPTags`)
 * and `vnetSubnetID`. Referenced resources must exist.
 */
import { ArmError } from '../../core/arm-error.js';
import { arr, bool, num, obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { World } from '../../engine/world.js';
import { defaultKubernetesVersion } from './aks-shared.js';

function invalid(message: string, target: string): ArmError {
  return new ArmError(400, 'InvalidParameter', message, { target });
}

export function validatePoolName(name: string, osType = 'Linux'): ArmError | undefined {
  const max = osType === 'Windows' ? 6 : 12;
  if (new RegExp(`^[a-z][a-z0-9]{0,${max - 1}}$`).test(name)) return undefined;
  return invalid(
    `The agent pool name '${name}' is invalid: it must start with a lowercase letter, contain only lowercase letters and numbers, and be at most ${max} characters long.`,
    'agentPoolProfile.name',
  );
}

function validatePortRanges(ranges: unknown[], pool: string): JsonObject[] {
  return ranges.map((r, i) => {
    const range = obj(r);
    const start = num(range['portStart']);
    const end = num(range['portEnd']);
    const protocol = str(range['protocol'])?.toUpperCase();
    const target = `agentPoolProfile.networkProfile.allowedHostPorts[${i}]`;
    if (start === undefined || end === undefined || start < 1 || end > 65535 || start > end) {
      throw invalid(
        `Agent pool '${pool}': allowed host port range ${String(start)}-${String(end)} is invalid; ports must be 1-65535 with portStart <= portEnd.`,
        target,
      );
    }
    if (protocol !== 'TCP' && protocol !== 'UDP') {
      throw invalid(
        `Agent pool '${pool}': allowed host port protocol '${String(range['protocol'])}' is invalid; use TCP or UDP.`,
        target,
      );
    }
    return { portStart: start, portEnd: end, protocol };
  });
}

/** The pool's stored properties (without provisioningState), validated against the world. */
export function normalizePool(
  world: World,
  name: string,
  input: JsonObject,
  before: JsonObject,
  kubernetesVersion: string,
): JsonObject {
  const osType = str(input['osType']) ?? str(before['osType']) ?? 'Linux';
  const nameError = validatePoolName(name, osType);
  if (nameError !== undefined) throw nameError;
  const mode = str(input['mode']) ?? str(before['mode']) ?? 'User';
  const count = num(input['count']) ?? num(before['count']) ?? 3;
  if (!Number.isInteger(count) || count < 0 || count > 1000 || (mode === 'System' && count < 1)) {
    throw invalid(
      `Agent pool '${name}': count ${count} is invalid (0-1000; a System pool needs at least 1 node).`,
      'agentPoolProfile.count',
    );
  }
  const enableNodePublicIP = bool(input['enableNodePublicIP']) ?? bool(before['enableNodePublicIP']) ?? false;
  const prefixId = str(input['nodePublicIPPrefixID']) ?? str(before['nodePublicIPPrefixID']);
  let prefixRef: string | undefined;
  if (prefixId !== undefined) {
    if (!enableNodePublicIP) {
      throw invalid(
        `Agent pool '${name}': nodePublicIPPrefixID requires enableNodePublicIP to be true.`,
        'agentPoolProfile.nodePublicIPPrefixID',
      );
    }
    const prefix = world.store.get(prefixId);
    if (prefix?.type !== 'Microsoft.Network/publicIPPrefixes') {
      throw invalid(
        `Agent pool '${name}': public IP prefix '${prefixId}' was not found.`,
        'agentPoolProfile.nodePublicIPPrefixID',
      );
    }
    const size = 2 ** (32 - (num(obj(prefix.body['properties'])['prefixLength']) ?? 32));
    if (count > size) {
      throw invalid(
        `Agent pool '${name}': ${count} nodes need ${count} addresses but public IP prefix '${prefixId}' has ${size}.`,
        'agentPoolProfile.nodePublicIPPrefixID',
      );
    }
    prefixRef = prefix.id;
  }
  const subnetId = str(input['vnetSubnetID']) ?? str(before['vnetSubnetID']);
  if (
    subnetId !== undefined &&
    world.store.get(subnetId)?.type !== 'Microsoft.Network/virtualNetworks/subnets'
  ) {
    throw invalid(
      `Agent pool '${name}': subnet '${subnetId}' was not found.`,
      'agentPoolProfile.vnetSubnetID',
    );
  }
  const net = obj(input['networkProfile'] ?? before['networkProfile']);
  const asgs = arr(net['applicationSecurityGroups']).map(String);
  for (const asg of asgs) {
    if (world.store.get(asg)?.type !== 'Microsoft.Network/applicationSecurityGroups') {
      throw invalid(
        `Agent pool '${name}': application security group '${asg}' was not found.`,
        'agentPoolProfile.networkProfile.applicationSecurityGroups',
      );
    }
  }
  const networkProfile: JsonObject = {};
  if (net['allowedHostPorts'] !== undefined)
    networkProfile['allowedHostPorts'] = validatePortRanges(arr(net['allowedHostPorts']), name);
  if (asgs.length > 0) networkProfile['applicationSecurityGroups'] = asgs;
  if (net['nodePublicIPTags'] !== undefined)
    networkProfile['nodePublicIPTags'] = arr(net['nodePublicIPTags']);
  const version =
    str(input['orchestratorVersion']) ?? str(before['orchestratorVersion']) ?? kubernetesVersion;
  return {
    ...before,
    ...input,
    count,
    vmSize: str(input['vmSize']) ?? str(before['vmSize']) ?? 'Standard_D4ds_v5',
    osDiskSizeGB: num(input['osDiskSizeGB']) ?? num(before['osDiskSizeGB']) ?? 128,
    osDiskType: str(input['osDiskType']) ?? str(before['osDiskType']) ?? 'Managed',
    maxPods: num(input['maxPods']) ?? num(before['maxPods']) ?? 250,
    type: 'VirtualMachineScaleSets',
    enableAutoScaling: bool(input['enableAutoScaling']) ?? bool(before['enableAutoScaling']) ?? false,
    powerState: { code: 'Running' },
    orchestratorVersion: version,
    currentOrchestratorVersion: version || defaultKubernetesVersion,
    mode,
    osType,
    osSKU: str(input['osSKU']) ?? str(before['osSKU']) ?? 'Ubuntu',
    enableNodePublicIP,
    ...(prefixRef === undefined ? {} : { nodePublicIPPrefixID: prefixRef }),
    ...(subnetId === undefined ? {} : { vnetSubnetID: subnetId }),
    ...(Object.keys(networkProfile).length === 0 ? {} : { networkProfile }),
    nodeImageVersion: str(before['nodeImageVersion']) ?? 'AKSUbuntu-2204gen2containerd-202510.03.0',
  };
}
