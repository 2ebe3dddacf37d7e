/**
 * Microsoft.AppConfiguration/configurationStores: long-running create, `listKeys` (a paged list of
 * the four access keys with connection strings `Endpoint=...;Id=...;Secret=...`), `regenerateKey`.
 */
import { randomBytes } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import { envelope, required } from '../shared/target-kit.js';
import { pageOf } from '../../engine/paging.js';

export const appConfigApiVersions = [
  '2024-06-01',
  '2024-05-01',
  '2023-03-01',
  '2022-05-01',
  '2021-10-01-preview',
  '2021-03-01-preview',
  '2020-06-01',
];

const keyNames = ['Primary', 'Secondary', 'Primary Read Only', 'Secondary Read Only'];

function newKey(): JsonObject {
  return {
    id: `${randomBytes(3).toString('hex').toUpperCase()}-l0-s0:${randomBytes(14).toString('base64')}`,
    value: randomBytes(32).toString('base64'),
    lastModified: new Date().toISOString(),
  };
}

function keysBody(resource: StoredResource): JsonObject {
  const endpoint = str(obj(resource.body['properties'])['endpoint']) ?? '';
  return {
    value: keyNames.map((name) => {
      const k = obj(resource.secrets[name]);
      return {
        id: k['id'],
        name,
        value: k['value'],
        connectionString: `Endpoint=${endpoint};Id=${String(k['id'])};Secret=${String(k['value'])}`,
        lastModified: k['lastModified'],
        readOnly: name.endsWith('Read Only'),
      };
    }),
  };
}

export const configurationStores: ResourceTypeDef = {
  type: 'Microsoft.AppConfiguration/configurationStores',
  apiVersions: appConfigApiVersions,
  validateName: (name) =>
    /^[a-zA-Z0-9_-]{5,50}$/.test(name)
      ? undefined
      : new ArmError(
          400,
          'InvalidResourceName',
          `The configuration store name '${name}' is invalid: use 5-50 letters, numbers, underscores and hyphens.`,
        ),
  put: {
    lro: { headers: 'azure-async', createStatus: 200, seconds: 20 },
    build: ({ input, existing, name }: BuildContext) => {
      if (existing === undefined) required(input, 'sku.name');
      const p = obj(input['properties']);
      const before = obj(existing?.body['properties']);
      return {
        body: {
          ...envelope(input, existing, ['location', 'tags', 'sku', 'identity']),
          properties: {
            ...before,
            ...p,
            endpoint: `https://${name}.azconfig.io`,
            creationDate: before['creationDate'] ?? new Date().toISOString(),
            publicNetworkAccess: str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']),
            disableLocalAuth: p['disableLocalAuth'] ?? before['disableLocalAuth'] ?? false,
          },
        },
        secrets: existing?.secrets ?? Object.fromEntries(keyNames.map((n) => [n, newKey()])),
      };
    },
  },
  patch: { lro: { headers: 'azure-async', seconds: 10 } },
  delete: { lro: { headers: 'both', seconds: 20 } },
  actions: {
    // A paged action: later pages are POSTs to the nextLink.
    listkeys: (ctx) => ({
      body: pageOf(ctx, keysBody(ctx.resource)['value'] as JsonObject[], ctx.world.listPageSize),
    }),
    regeneratekey: ({ resource, body }) => {
      const id = str(obj(body)['id']);
      const name = keyNames.find((n) => obj(resource.secrets[n])['id'] === id);
      if (name === undefined)
        throw new ArmError(400, 'BadRequest', `No access key with id '${id ?? ''}' exists.`);
      resource.secrets[name] = newKey();
      return { body: (keysBody(resource)['value'] as JsonObject[]).find((k) => k['name'] === name) };
    },
  },
};
