/**
 * Microsoft.Compute/virtualMachineScaleSets as AKS node pools produce them in the node resource
 * group, and the listing of their instances' public IPs that Microsoft.Network serves under the
 * Compute path (`.../virtualMachineScaleSets/{vmss}/publicipaddresses`, api-version 2018-10-01,
 * what `az vmss list-instance-public-ips` calls).
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, LroSpec, ResourceTypeDef } from '../../engine/types.js';
import { pageOf } from '../../engine/paging.js';
import { releaseFromPrefix } from '../network/public-ip-addresses.js';

export const computeApiVersions = [
  '2026-04-01',
  '2025-11-01',
  '2025-04-01',
  '2024-11-01',
  '2024-07-01',
  '2024-03-01',
  '2023-09-01',
  '2023-07-01',
  '2023-03-01',
  '2022-11-01',
  '2022-08-01',
  '2022-03-01',
  '2021-11-01',
  // The scale set public IP listings (served by Microsoft.Network) use this version.
  '2018-10-01',
];

export const vmssPublicIpType =
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/networkInterfaces/ipConfigurations/publicIPAddresses';

const computeLro: LroSpec = { headers: 'azure-async', seconds: 20 };

function build(ctx: BuildContext) {
  const { input, existing } = ctx;
  const sku = obj(input['sku']);
  if (str(sku['name']) === undefined) {
    throw new ArmError(400, 'InvalidParameter', "Required parameter 'sku.name' is missing (null).", {
      target: 'sku.name',
    });
  }
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  return {
    body: {
      location: input['location'],
      ...(input['tags'] === undefined ? {} : { tags: input['tags'] }),
      sku: { name: sku['name'], tier: str(sku['tier']) ?? 'Standard', capacity: sku['capacity'] ?? 0 },
      properties: {
        ...p,
        orchestrationMode: str(p['orchestrationMode']) ?? 'Uniform',
        uniqueId: str(before['uniqueId']) ?? randomUUID(),
        timeCreated: before['timeCreated'] ?? new Date(ctx.world.clock.now()).toISOString(),
      },
    },
  };
}

export const virtualMachineScaleSets: ResourceTypeDef = {
  type: 'Microsoft.Compute/virtualMachineScaleSets',
  apiVersions: computeApiVersions,
  put: { lro: computeLro, build },
  patch: { lro: computeLro },
  delete: { lro: { headers: 'both', seconds: 20 } },
  views: {
    publicipaddresses: (ctx) => ({
      body: pageOf(
        ctx,
        ctx.world.store.list(vmssPublicIpType, ctx.resource.id).map((r) => structuredClone(r.body)),
        ctx.world.listPageSize,
      ),
    }),
  },
};

/** A scale set VM's instance-level public IP (read-only; the scale set owns it). */
export const vmssPublicIpAddresses: ResourceTypeDef = {
  type: vmssPublicIpType,
  apiVersions: ['2018-10-01', '2017-03-30'],
  virtualParent: true,
  afterDelete: ({ world, resource }) =>
    releaseFromPrefix(world, str(obj(obj(resource.body['properties'])['publicIPPrefix'])['id']), resource.id),
};

export function vmssPublicIpBody(
  id: string,
  options: {
    ipAddress: string;
    ipConfigurationId: string;
    prefixId?: string;
    ipTags?: unknown[];
    guid?: string;
  },
): JsonObject {
  return {
    name: id.split('/').pop(),
    id,
    etag: `W/"${randomUUID()}"`,
    type: 'Microsoft.Network/publicIPAddresses',
    sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: options.guid ?? randomUUID(),
      ipAddress: options.ipAddress,
      publicIPAddressVersion: 'IPv4',
      publicIPAllocationMethod: 'Static',
      idleTimeoutInMinutes: 30,
      ipTags: options.ipTags ?? [],
      ipConfiguration: { id: options.ipConfigurationId },
      ...(options.prefixId === undefined ? {} : { publicIPPrefix: { id: options.prefixId } }),
    },
  };
}
