/**
 * Microsoft.Network/natGateways (Standard): outbound traffic of the subnets that reference the
 * gateway leaves from its public IPs and prefixes; `subnets` is computed from those subnets.
 */
import { num, obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import {
  etag,
  networkApiVersions,
  networkDeleteLro,
  networkEnvelope,
  networkPutLro,
  networkTransient,
  requireReferences,
  resourceGuid,
} from './network-shared.js';

function build(ctx: BuildContext) {
  const { input, existing, world, id } = ctx;
  const p = obj(input['properties']);
  return {
    body: {
      ...networkEnvelope(input),
      sku: { name: 'Standard' },
      etag: etag(),
      properties: {
        resourceGuid: resourceGuid(existing),
        idleTimeoutInMinutes: num(p['idleTimeoutInMinutes']) ?? 4,
        publicIpAddresses: requireReferences(world, p['publicIpAddresses'], id),
        publicIpPrefixes: requireReferences(world, p['publicIpPrefixes'], id),
      },
    },
  };
}

export const natGateways: ResourceTypeDef = {
  type: 'Microsoft.Network/natGateways',
  apiVersions: networkApiVersions,
  transientStates: networkTransient,
  put: { lro: networkPutLro, build },
  patch: {},
  delete: { lro: networkDeleteLro },
  present: (body, world) => {
    const id = str(body['id']) ?? '';
    const subnets = world.store
      .list('Microsoft.Network/virtualNetworks/subnets')
      .filter((s) => world.sameId(str(obj(obj(s.body['properties'])['natGateway'])['id']) ?? '', id))
      .map((s) => ({ id: s.id }));
    if (subnets.length > 0) obj(body['properties'])['subnets'] = subnets;
    return body;
  },
};
