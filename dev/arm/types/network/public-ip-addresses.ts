/**
 * Microsoft.Network/publicIPAddresses (Standard SKU, static IPv4). An address comes from the
 * emulator's pool or, when `publicIPPrefix` is given, from that prefix. `ipConfiguration` shows
 * what the address is attached to (a load balancer frontend, a NAT gateway); attached addresses
 * cannot be deleted (400 PublicIPAddressInUse).
 */
import { ArmError } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import type { World } from '../../engine/world.js';
import { addressInPrefix } from './ip-allocator.js';
import {
  etag,
  networkApiVersions,
  networkDeleteLro,
  networkEnvelope,
  networkPutLro,
  networkTransient,
  resourceGuid,
} from './network-shared.js';

/** Takes the next free address of a prefix (tracked on the prefix). */
export function allocateFromPrefix(world: World, prefix: StoredResource, owner: string): string {
  const ipPrefix = str(obj(prefix.body['properties'])['ipPrefix']) as string;
  const used = (prefix.internal['allocated'] as Record<string, string> | undefined) ?? {};
  prefix.internal['allocated'] = used;
  const taken = new Set(Object.values(used));
  for (let i = 0; ; i++) {
    const candidate = addressInPrefix(ipPrefix, i);
    if (candidate === undefined) {
      throw new ArmError(
        400,
        'PublicIpPrefixOutOfIpAddressesForPublicIp',
        `Public IP prefix ${prefix.id} has no free IP addresses left (${ipPrefix}).`,
      );
    }
    if (!taken.has(candidate)) {
      used[owner.toLowerCase()] = candidate;
      return candidate;
    }
  }
}

export function releaseFromPrefix(world: World, prefixId: string | undefined, owner: string): void {
  if (prefixId === undefined) return;
  const prefix = world.store.get(prefixId);
  const used = prefix?.internal['allocated'] as Record<string, string> | undefined;
  if (used !== undefined) delete used[owner.toLowerCase()];
}

export function publicIpProperties(
  ipAddress: string,
  options: {
    prefixId?: string;
    ipTags?: unknown[];
    ipConfigurationId?: string;
    guid: string;
    idleTimeout?: number;
  },
): JsonObject {
  return {
    resourceGuid: options.guid,
    ipAddress,
    publicIPAddressVersion: 'IPv4',
    publicIPAllocationMethod: 'Static',
    idleTimeoutInMinutes: options.idleTimeout ?? 4,
    ipTags: options.ipTags ?? [],
    ...(options.prefixId === undefined ? {} : { publicIPPrefix: { id: options.prefixId } }),
    ...(options.ipConfigurationId === undefined
      ? {}
      : { ipConfiguration: { id: options.ipConfigurationId } }),
  };
}

function build(ctx: BuildContext) {
  const { input, existing, world, id } = ctx;
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  const prefixId = str(obj(p['publicIPPrefix'])['id']) ?? str(obj(before['publicIPPrefix'])['id']);
  let ipAddress = str(before['ipAddress']);
  let prefixRef: string | undefined;
  if (prefixId !== undefined) {
    const prefix = world.store.get(prefixId);
    if (prefix === undefined) {
      throw new ArmError(
        400,
        'InvalidResourceReference',
        `Resource ${prefixId} referenced by resource ${id} was not found.`,
      );
    }
    prefixRef = prefix.id;
    ipAddress ??= allocateFromPrefix(world, prefix, id);
  }
  ipAddress ??= world.ips.address();
  const allocation = str(p['publicIPAllocationMethod']) ?? 'Static';
  const sku = obj(input['sku']);
  if (str(sku['name']) === 'Standard' && allocation === 'Dynamic') {
    throw new ArmError(
      400,
      'StandardSkuPublicIPAddressesRequireStaticAllocation',
      `Standard sku publicIp ${id} must have AllocationMethod set to Static.`,
    );
  }
  const ipConfigurationId = str(obj(before['ipConfiguration'])['id']);
  return {
    body: {
      ...networkEnvelope(input),
      sku: { name: str(sku['name']) ?? 'Standard', tier: str(sku['tier']) ?? 'Regional' },
      etag: etag(),
      properties: publicIpProperties(ipAddress, {
        guid: resourceGuid(existing),
        ...(prefixRef === undefined ? {} : { prefixId: prefixRef }),
        ipTags: arr(p['ipTags'] ?? before['ipTags']),
        ...(ipConfigurationId === undefined ? {} : { ipConfigurationId }),
        idleTimeout: typeof p['idleTimeoutInMinutes'] === 'number' ? p['idleTimeoutInMinutes'] : 4,
      }),
    },
  };
}

export const publicIPAddresses: ResourceTypeDef = {
  type: 'Microsoft.Network/publicIPAddresses',
  apiVersions: networkApiVersions,
  transientStates: networkTransient,
  put: { lro: networkPutLro, build },
  patch: {},
  delete: { lro: networkDeleteLro },
  checkBusy: ({ existing, method }) => {
    const attached = str(obj(obj(existing?.body['properties'])['ipConfiguration'])['id']);
    if (method !== 'DELETE' || attached === undefined) return undefined;
    return new ArmError(
      400,
      'PublicIPAddressInUse',
      `Public IP address ${existing?.id ?? ''} can not be deleted since it is still allocated to resource ${attached}. In order to delete the public IP, disassociate/detach the Public IP address from the resource.`,
    );
  },
  afterDelete: ({ world, resource }) =>
    releaseFromPrefix(world, str(obj(obj(resource.body['properties'])['publicIPPrefix'])['id']), resource.id),
};
