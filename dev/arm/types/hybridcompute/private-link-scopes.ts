/**
 * Microsoft.HybridCompute/privateLinkScopes (Azure Arc private link scope): synchronous PUT
 * (200/201), PATCH (tags), long-running DELETE. `publicNetworkAccess` defaults to Disabled.
 * `properties.privateEndpointConnections` is read only: the scope's connection children
 * (private-endpoint-connections.ts), listed on every read.
 */
import { randomUUID } from 'node:crypto';
import { obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';

/** The child type, defined in private-endpoint-connections.ts (which imports this module). */
export const privateEndpointConnectionType =
  'Microsoft.HybridCompute/privateLinkScopes/privateEndpointConnections';

export const privateLinkScopeApiVersions = [
  '2025-01-13',
  '2024-07-10',
  '2023-10-03-preview',
  '2022-12-27',
  '2022-11-10',
  '2022-08-11',
  '2022-03-10',
  '2021-05-20',
];

export const privateLinkScopes: ResourceTypeDef = {
  type: 'Microsoft.HybridCompute/privateLinkScopes',
  apiVersions: privateLinkScopeApiVersions,
  put: {
    build: ({ input, existing }: BuildContext) => {
      const p = obj(input['properties']);
      const before = obj(existing?.body['properties']);
      return {
        body: {
          location: input['location'],
          ...(input['tags'] === undefined ? {} : { tags: input['tags'] }),
          properties: {
            publicNetworkAccess:
              str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']) ?? 'Disabled',
            privateLinkScopeId: str(before['privateLinkScopeId']) ?? randomUUID(),
          },
        },
      };
    },
  },
  patch: {},
  delete: { lro: { headers: 'both', seconds: 10 } },
  present: (body, world) => {
    obj(body['properties'])['privateEndpointConnections'] = world
      .children(str(body['id']) ?? '', privateEndpointConnectionType)
      .map((c) => structuredClone(c.body));
    return body;
  },
};
