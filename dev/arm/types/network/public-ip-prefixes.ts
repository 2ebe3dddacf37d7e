/**
 * Microsoft.Network/publicIPPrefixes: a contiguous block (`ipPrefix`) from which public IPs and
 * node pool instance IPs (`nodePublicIPPrefixID`) take their addresses; `publicIPAddresses` lists
 * the public IP resources allocated from it.
 */
import { ArmError } from '../../core/arm-error.js';
import { arr, num, obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import {
  etag,
  networkApiVersions,
  networkDeleteLro,
  networkEnvelope,
  networkPutLro,
  networkTransient,
  resourceGuid,
} from './network-shared.js';

function build(ctx: BuildContext) {
  const { input, existing, world } = ctx;
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  const length = num(p['prefixLength']) ?? num(before['prefixLength']);
  if (length === undefined || !Number.isInteger(length) || length < 21 || length > 31) {
    throw new ArmError(
      400,
      'InvalidPublicIpPrefixLength',
      `Public IP prefix length ${length ?? '(missing)'} is invalid. IPv4 prefix length must be between 21 and 31.`,
    );
  }
  if (existing !== undefined && num(before['prefixLength']) !== length) {
    throw new ArmError(
      400,
      'PublicIpPrefixLengthCannotBeChanged',
      'The prefix length of a public IP prefix cannot be changed.',
    );
  }
  return {
    body: {
      ...networkEnvelope(input),
      sku: { name: 'Standard', tier: 'Regional' },
      etag: etag(),
      properties: {
        resourceGuid: resourceGuid(existing),
        prefixLength: length,
        publicIPAddressVersion: 'IPv4',
        ipPrefix: str(before['ipPrefix']) ?? world.ips.prefix(length),
        ipTags: arr(p['ipTags'] ?? before['ipTags']),
      },
    },
    internal: existing?.internal ?? { allocated: {} },
  };
}

export const publicIPPrefixes: ResourceTypeDef = {
  type: 'Microsoft.Network/publicIPPrefixes',
  apiVersions: networkApiVersions,
  transientStates: networkTransient,
  put: { lro: { ...networkPutLro, headers: 'both' }, build },
  patch: {},
  delete: { lro: networkDeleteLro },
  present: (body, world) => {
    const id = str(body['id']) ?? '';
    const users = world.store
      .list('Microsoft.Network/publicIPAddresses')
      .filter((ip) => world.sameId(str(obj(obj(ip.body['properties'])['publicIPPrefix'])['id']) ?? '', id))
      .map((ip) => ({ id: ip.id }));
    if (users.length > 0) obj(body['properties'])['publicIPAddresses'] = users;
    return body;
  },
  checkBusy: ({ existing, method }) => {
    if (method !== 'DELETE' || existing === undefined) return undefined;
    const used = Object.keys((existing.internal['allocated'] as Record<string, string> | undefined) ?? {});
    if (used.length === 0) return undefined;
    return new ArmError(
      400,
      'InUsePublicIpPrefixCannotBeDeleted',
      `Public IP prefix ${existing.id} cannot be deleted since it is in use by ${used.length} resource(s).`,
    );
  },
};
