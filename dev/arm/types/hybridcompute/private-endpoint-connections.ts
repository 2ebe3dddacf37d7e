/**
 * Microsoft.HybridCompute/privateLinkScopes/privateEndpointConnections: the connections of private
 * endpoints to an Azure Arc private link scope (REST shape: `properties.privateEndpoint.id`,
 * `properties.privateLinkServiceConnectionState.{status, description, actionsRequired}`,
 * `properties.groupIds`, `properties.provisioningState`). In Azure a connection appears when a
 * private endpoint is created against the scope, and its owner approves or rejects it with a PUT;
 * the emulator's Microsoft.Network/privateEndpoints do not create it, so a PUT here also stands for
 * the endpoint's creation (`privateEndpoint.id` required on the first PUT, not checked to exist). The scope lists them in
 * `properties.privateEndpointConnections`, as Azure does.
 */
import { ArmError } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import { privateEndpointConnectionType, privateLinkScopeApiVersions } from './private-link-scopes.js';

const statuses = ['Approved', 'Pending', 'Rejected', 'Disconnected'];

function invalid(message: string, target: string): ArmError {
  return new ArmError(400, 'InvalidParameter', message, { target });
}

function build({ input, existing }: BuildContext) {
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  const endpointId = str(obj(p['privateEndpoint'])['id']) ?? str(obj(before['privateEndpoint'])['id']);
  if (endpointId === undefined)
    throw invalid('properties.privateEndpoint.id is required.', 'properties.privateEndpoint.id');
  const state = {
    ...obj(before['privateLinkServiceConnectionState']),
    ...obj(p['privateLinkServiceConnectionState']),
  };
  const status = statuses.find((s) => s.toLowerCase() === str(state['status'])?.toLowerCase());
  if (status === undefined)
    throw invalid(
      `privateLinkServiceConnectionState.status must be one of ${statuses.join(', ')}.`,
      'properties.privateLinkServiceConnectionState.status',
    );
  return {
    body: {
      properties: {
        privateEndpoint: { id: endpointId },
        privateLinkServiceConnectionState: {
          status,
          description: str(state['description']) ?? '',
          actionsRequired: str(state['actionsRequired']) ?? 'None',
        },
        groupIds: ['hybridcompute'],
      },
    },
  };
}

export const privateEndpointConnections: ResourceTypeDef = {
  type: privateEndpointConnectionType,
  apiVersions: privateLinkScopeApiVersions,
  put: { build },
  delete: { lro: { headers: 'both', seconds: 10 } },
};
