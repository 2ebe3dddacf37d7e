/**
 * Network reads for egress (public IPs, prefixes, subnets, NAT gateways, NSGs, ASGs) and for
 * validateLinker's private link checks (private endpoints, virtual networks, NSGs), node pools'
 * instance public IPs, and NSG security rules. All typed; the rule writes are the modular client's
 * long-running operations, of which only the initial request is awaited (`submitted()`): awaiting
 * the poller itself would poll to completion (ADR 0070).
 */
import type { SecurityRule } from '@azure/arm-network';
import { TerminalError } from '../errors/index.js';
import { list, str, type ArmResource } from '../targets/arm-body.js';
import { armIdKey } from '../util/arm-id.js';
import type { AdapterDeps } from './deps.js';
import type { NetworkPort } from './ports.js';
import { isObject, resourceOf, writeStarted, type OnResponse } from './reply.js';
import { groupResource, nameAt, type GroupResourceId } from './resource-ids.js';
import { sdkCall, sdkDelete, sdkList, sdkRead } from './sdk-call.js';

/** The tag AKS puts on a node pool's scale sets in the node resource group. */
export const aksPoolTag = 'aks-managed-poolName';
const nsgType = 'Microsoft.Network/networkSecurityGroups';
const readConcurrency = 8;

type NetworkClient = Awaited<ReturnType<AdapterDeps['clients']['network']>>;
type Reader = (net: NetworkClient, id: GroupResourceId, onResponse: OnResponse) => Promise<unknown>;

const readers: Readonly<Record<string, Reader>> = {
  'microsoft.network/publicipaddresses': (net, id, onResponse) =>
    net.publicIPAddresses.get(id.resourceGroup, nameAt(id, 0), { onResponse }),
  'microsoft.network/publicipprefixes': (net, id, onResponse) =>
    net.publicIPPrefixes.get(id.resourceGroup, nameAt(id, 0), { onResponse }),
  'microsoft.network/virtualnetworks/subnets': (net, id, onResponse) =>
    net.subnets.get(id.resourceGroup, nameAt(id, 0), nameAt(id, 1), { onResponse }),
  'microsoft.network/natgateways': (net, id, onResponse) =>
    net.natGateways.get(id.resourceGroup, nameAt(id, 0), { onResponse }),
  'microsoft.network/networksecuritygroups': (net, id, onResponse) =>
    net.networkSecurityGroups.get(id.resourceGroup, nameAt(id, 0), { onResponse }),
  'microsoft.network/applicationsecuritygroups': (net, id, onResponse) =>
    net.applicationSecurityGroups.get(id.resourceGroup, nameAt(id, 0), { onResponse }),
  // validateLinker's private link checks: an endpoint's virtual network (its region and subnets).
  'microsoft.network/privateendpoints': (net, id, onResponse) =>
    net.privateEndpoints.get(id.resourceGroup, nameAt(id, 0), { onResponse }),
  'microsoft.network/virtualnetworks': (net, id, onResponse) =>
    net.virtualNetworks.get(id.resourceGroup, nameAt(id, 0), { onResponse }),
};

/** Runs `task` over `items` with at most `limit` in flight (reads of one round, ADR 0051). */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function hasPoolTag(vmss: unknown, pool: string): boolean {
  const tags = isObject(vmss) && isObject(vmss['tags']) ? vmss['tags'] : {};
  return Object.entries(tags).some(
    ([k, v]) =>
      k.toLowerCase() === aksPoolTag.toLowerCase() &&
      typeof v === 'string' &&
      v.toLowerCase() === pool.toLowerCase(),
  );
}

/** ASG ids on a scale set's NIC IP configurations (`virtualMachineProfile.networkProfile`). */
function applicationSecurityGroupIds(vmss: Record<string, unknown>): string[] {
  const nics = list(
    vmss,
    'properties',
    'virtualMachineProfile',
    'networkProfile',
    'networkInterfaceConfigurations',
  );
  return nics
    .flatMap((nic) => list(nic, 'properties', 'ipConfigurations'))
    .flatMap((ipConfig) => list(ipConfig, 'properties', 'applicationSecurityGroups'))
    .flatMap((asg) => {
      const id = str(asg, 'id');
      return id === undefined ? [] : [id];
    });
}

/** A REST security rule body as the modular client's model: every field of it sits under `properties`. */
function securityRuleModel(body: ArmResource): SecurityRule {
  return { ...(body.properties ?? {}) };
}

export function createNetworkPort({ clients, rest }: AdapterDeps): NetworkPort {
  const nsgRule = (nsgId: string, name: string) => {
    const id = groupResource(nsgId, nsgType);
    return { id, nsg: nameAt(id, 0), target: `${nsgId}/securityRules/${name}` };
  };

  /** The pool's scale sets in the node resource group, found by AKS's pool tag (REST bodies). */
  const poolScaleSets = async (subscriptionId: string, nodeResourceGroup: string, pool: string) => {
    const group = `/subscriptions/${subscriptionId}/resourceGroups/${nodeResourceGroup}`;
    const scaleSetsPath = `${group}/providers/Microsoft.Compute/virtualMachineScaleSets`;
    const all = await sdkList(rest, scaleSetsPath, clients.compute(subscriptionId), (compute, onResponse) =>
      compute.virtualMachineScaleSets.list(nodeResourceGroup, { onResponse }).byPage().next(),
    );
    return { scaleSetsPath, scaleSets: all.filter((s) => hasPoolTag(s, pool)).filter(isObject) };
  };

  return {
    async read(ids) {
      const out = new Map<string, ArmResource | undefined>();
      const parsed = ids.map((raw) => {
        const id = groupResource(raw);
        const reader = readers[id.type.toLowerCase()];
        if (reader === undefined) {
          throw new TerminalError(`NetworkPort.read does not read ${id.type} (${raw}).`, {
            reason: 'UnsupportedResourceType',
            target: raw,
          });
        }
        return { id, reader };
      });
      await eachLimited(parsed, readConcurrency, async ({ id, reader }) => {
        const reply = await sdkRead(id.id, clients.network(id.subscriptionId), (net, onResponse) =>
          reader(net, id, onResponse),
        );
        out.set(armIdKey(id.id), resourceOf(reply?.body));
      });
      return out;
    },

    async nodePoolPublicIps(subscriptionId, nodeResourceGroup, pool) {
      const { scaleSetsPath, scaleSets } = await poolScaleSets(subscriptionId, nodeResourceGroup, pool);
      const names = scaleSets.flatMap((s) => (typeof s['name'] === 'string' ? [s['name']] : []));
      const lists = await Promise.all(
        names.map((vmss) =>
          sdkList(
            rest,
            `${scaleSetsPath}/${vmss}/publicIPAddresses`,
            clients.network(subscriptionId),
            (net, onResponse) =>
              net.publicIPAddresses
                .listVirtualMachineScaleSetPublicIPAddresses(nodeResourceGroup, vmss, { onResponse })
                .byPage()
                .next(),
          ),
        ),
      );
      return lists.flat().flatMap((ip) => resourceOf(ip) ?? []);
    },

    async nodePoolApplicationSecurityGroups(subscriptionId, nodeResourceGroup, pool) {
      const { scaleSets } = await poolScaleSets(subscriptionId, nodeResourceGroup, pool);
      const ids = new Map<string, string>();
      for (const id of scaleSets.flatMap(applicationSecurityGroupIds)) ids.set(armIdKey(id), id);
      return [...ids.values()];
    },

    async putSecurityRule(nsgId, name, body) {
      const { id, nsg, target } = nsgRule(nsgId, name);
      // `submitted()` resolves once the initial PUT is answered; the poller is then dropped.
      const reply = await sdkCall(target, clients.network(id.subscriptionId), (net, onResponse) =>
        net.securityRules
          .createOrUpdate(id.resourceGroup, nsg, name, securityRuleModel(body), { onResponse })
          .submitted(),
      );
      return writeStarted(reply);
    },

    async deleteSecurityRule(nsgId, name) {
      const { id, nsg, target } = nsgRule(nsgId, name);
      return await sdkDelete(target, clients.network(id.subscriptionId), (net, onResponse) =>
        net.securityRules.delete(id.resourceGroup, nsg, name, { onResponse }).submitted(),
      );
    },
  };
}
