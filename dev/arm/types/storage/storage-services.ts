/**
 * The `default` blob, queue, table and file services of a storage account: they exist with the
 * account (Service Connector target ids point at them, e.g. `.../blobServices/default`), so GET
 * synthesizes them; PUT stores their properties.
 */
import { ArmError } from '../../core/arm-error.js';
import { obj } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import { storageApiVersions } from './storage-accounts.js';

function service(kind: 'blobServices' | 'queueServices' | 'tableServices' | 'fileServices'): ResourceTypeDef {
  const type = `Microsoft.Storage/storageAccounts/${kind}`;
  return {
    type,
    apiVersions: storageApiVersions,
    provisioningState: 'none',
    validateName: (name) =>
      name === 'default'
        ? undefined
        : new ArmError(400, 'InvalidResourceName', `The ${kind} name must be 'default', not '${name}'.`),
    lookup: (id, world) => {
      const stored = world.store.get(id);
      if (stored !== undefined || id.split('/').pop() !== 'default') return stored;
      const account = world.store.get(id.split('/').slice(0, -2).join('/'));
      if (account === undefined) return undefined;
      const serviceId = `${account.id}/${kind}/default`;
      return {
        id: serviceId,
        type,
        body: { id: serviceId, name: 'default', type, properties: {} },
        secrets: {},
        internal: {},
      };
    },
    put: {
      syncCreateStatus: 200,
      build: ({ input }: BuildContext) => ({ body: { properties: obj(input['properties']) } }),
    },
  };
}

export const storageServices = [
  service('blobServices'),
  service('queueServices'),
  service('tableServices'),
  service('fileServices'),
];
