/**
 * Microsoft.ExtendedLocation/customLocations: a namespace on an Arc-enabled (or AKS) cluster that
 * Azure services deploy into. `properties.hostResourceId` (the cluster) and `namespace` are
 * required; `hostType` is `Kubernetes`. Synchronous writes here (Azure runs an LRO).
 */
import { badRequest } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';

export const customLocationType = 'Microsoft.ExtendedLocation/customLocations';

export const customLocations: ResourceTypeDef = {
  type: customLocationType,
  apiVersions: ['2021-08-15', '2021-08-31-preview'],
  put: {
    build: ({ input, id }: BuildContext) => {
      const p = obj(input['properties']);
      const hostResourceId = str(p['hostResourceId']);
      const namespace = str(p['namespace']);
      if (hostResourceId === undefined || namespace === undefined)
        throw badRequest(
          `Custom location ${id} needs properties.hostResourceId (the cluster) and properties.namespace.`,
          'InvalidRequestContent',
        );
      return {
        body: {
          location: input['location'],
          ...(input['tags'] === undefined ? {} : { tags: input['tags'] }),
          properties: {
            hostType: 'Kubernetes',
            hostResourceId,
            namespace,
            displayName: str(p['displayName']) ?? id.slice(id.lastIndexOf('/') + 1),
            clusterExtensionIds: arr(p['clusterExtensionIds']),
          },
        },
      };
    },
  },
  patch: {},
  delete: {},
};
