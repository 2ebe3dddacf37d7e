/** Microsoft.Network/applicationSecurityGroups: a name NSG rules target; node pools join them. */
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

export const applicationSecurityGroups: ResourceTypeDef = {
  type: 'Microsoft.Network/applicationSecurityGroups',
  apiVersions: networkApiVersions,
  transientStates: networkTransient,
  put: {
    lro: networkPutLro,
    build: ({ input, existing }: BuildContext) => ({
      body: { ...networkEnvelope(input), etag: etag(), properties: { resourceGuid: resourceGuid(existing) } },
    }),
  },
  patch: {},
  delete: { lro: networkDeleteLro },
};
