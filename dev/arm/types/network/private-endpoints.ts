/**
 * Microsoft.Network/privateEndpoints: a private endpoint in a subnet, connected to a private link
 * resource through `privateLinkServiceConnections` (approved automatically in Azure when the caller
 * may) or `manualPrivateLinkServiceConnections` (awaiting the owner's approval). The subnet
 * (`properties.subnet.id`) is required and must exist; the endpoint must be in its virtual
 * network's region: Microsoft.Network resolves the subnet reference only within the endpoint's own
 * region, so Azure answers a mismatch with 400 InvalidResourceReference, as for a missing subnet.
 * The private link resource's side (e.g. the Arc scope's privateEndpointConnections) is not
 * created from here: seed or PUT the connection there.
 */
import { ArmError } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import {
  etag,
  networkApiVersions,
  networkDeleteLro,
  networkEnvelope,
  networkPutLro,
  networkTransient,
  referenceNotFound,
  resourceGuid,
  validateNetworkName,
} from './network-shared.js';
import { subnetType } from './virtual-networks.js';

const region = (location: unknown): string => (str(location) ?? '').toLowerCase().replace(/\s+/g, '');

/** The subnet the endpoint names, checked to exist in the endpoint's region. */
function subnetOf(ctx: BuildContext, p: JsonObject): { id: string } {
  const { world, id, input } = ctx;
  const subnetId = str(obj(p['subnet'])['id']);
  if (subnetId === undefined)
    throw new ArmError(
      400,
      'InvalidRequestFormat',
      `Private endpoint ${id} must name a subnet in properties.subnet.id.`,
    );
  const subnet = world.store.get(subnetId);
  if (subnet?.type !== subnetType) throw referenceNotFound(subnetId, id);
  const vnet = world.store.get(subnetId.slice(0, subnetId.toLowerCase().lastIndexOf('/subnets/')));
  if (vnet === undefined || region(vnet.body['location']) !== region(input['location']))
    throw referenceNotFound(subnetId, id);
  return { id: subnet.id };
}

/** Connections as given, with the state Azure reports (automatic ones approved, manual ones pending). */
function connections(value: unknown, status: 'Approved' | 'Pending'): JsonObject[] {
  return arr(value).map((c) => {
    const p = obj(obj(c)['properties']);
    return {
      name: str(obj(c)['name']) ?? '',
      properties: {
        ...p,
        provisioningState: 'Succeeded',
        privateLinkServiceConnectionState: {
          status,
          description: status === 'Approved' ? 'Auto-Approved' : '',
          actionsRequired: 'None',
          ...obj(p['privateLinkServiceConnectionState']),
        },
      },
    };
  });
}

function build(ctx: BuildContext) {
  const { input, existing } = ctx;
  const p = obj(input['properties']);
  return {
    body: {
      ...networkEnvelope(input),
      etag: etag(),
      properties: {
        resourceGuid: resourceGuid(existing),
        subnet: subnetOf(ctx, p),
        privateLinkServiceConnections: connections(p['privateLinkServiceConnections'], 'Approved'),
        manualPrivateLinkServiceConnections: connections(p['manualPrivateLinkServiceConnections'], 'Pending'),
        customDnsConfigs: arr(p['customDnsConfigs']),
      },
    },
  };
}

export const privateEndpoints: ResourceTypeDef = {
  type: 'Microsoft.Network/privateEndpoints',
  apiVersions: networkApiVersions,
  validateName: validateNetworkName,
  transientStates: networkTransient,
  put: { lro: networkPutLro, build },
  patch: {},
  delete: { lro: networkDeleteLro },
};
