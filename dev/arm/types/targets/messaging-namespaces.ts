/**
 * Microsoft.ServiceBus/namespaces and Microsoft.EventHub/namespaces: long-running namespace
 * writes, the `networkRuleSets/default` child (exists implicitly; PUT is synchronous and answers
 * 200; `ipRules[].ipMask` IPv4 or CIDR), and SAS authorization rules with `listKeys` connection
 * strings (`RootManageSharedAccessKey` exists from the start, as in Azure).
 */
import { ArmError } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { BuildContext, EffectContext, ResourceTypeDef } from '../../engine/types.js';
import { accessKey } from '../shared/keys.js';
import { envelope, ruleValues, validateIpRules } from '../shared/target-kit.js';

function defs(
  namespace: 'Microsoft.ServiceBus' | 'Microsoft.EventHub',
  apiVersions: readonly string[],
): ResourceTypeDef[] {
  const nsType = `${namespace}/namespaces`;
  const ruleType = `${nsType}/authorizationRules`;
  const networkType = `${nsType}/networkRuleSets`;

  const keysOf = (rule: StoredResource, nsName: string): JsonObject => {
    const endpoint = `Endpoint=sb://${nsName}.servicebus.windows.net/;SharedAccessKeyName=${str(rule.body['name']) ?? ''};SharedAccessKey=`;
    return {
      primaryConnectionString: `${endpoint}${String(rule.secrets['primaryKey'])}`,
      secondaryConnectionString: `${endpoint}${String(rule.secrets['secondaryKey'])}`,
      primaryKey: rule.secrets['primaryKey'],
      secondaryKey: rule.secrets['secondaryKey'],
      keyName: rule.body['name'],
    };
  };

  const namespaces: ResourceTypeDef = {
    type: nsType,
    apiVersions,
    put: {
      lro: { headers: 'azure-async', createStatus: 201, seconds: 30 },
      build: ({ input, existing, name }: BuildContext) => {
        const p = obj(input['properties']);
        const before = obj(existing?.body['properties']);
        return {
          body: {
            ...envelope(input, existing, ['location', 'tags', 'identity']),
            sku: { name: 'Standard', tier: 'Standard', ...obj(existing?.body['sku']), ...obj(input['sku']) },
            properties: {
              ...before,
              ...p,
              serviceBusEndpoint: `https://${name}.servicebus.windows.net:443/`,
              status: 'Active',
              publicNetworkAccess:
                str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']) ?? 'Enabled',
              disableLocalAuth: p['disableLocalAuth'] ?? before['disableLocalAuth'] ?? false,
            },
          },
        };
      },
    },
    patch: { lro: { headers: 'azure-async', seconds: 10 } },
    delete: { lro: { headers: 'both', seconds: 30 } },
    afterWrite: ({ resource, world }: EffectContext) => {
      const id = `${resource.id}/authorizationRules/RootManageSharedAccessKey`;
      if (world.store.has(id)) return;
      world.store.put({
        id,
        type: ruleType,
        body: {
          id,
          name: 'RootManageSharedAccessKey',
          type: ruleType,
          location: resource.body['location'],
          properties: { rights: ['Listen', 'Manage', 'Send'] },
        },
        secrets: { primaryKey: accessKey(32), secondaryKey: accessKey(32) },
        internal: {},
      });
    },
  };

  const authorizationRules: ResourceTypeDef = {
    type: ruleType,
    apiVersions,
    provisioningState: 'none',
    put: {
      syncCreateStatus: 200,
      build: ({ input, existing }: BuildContext) => {
        const rights = arr(obj(input['properties'])['rights']);
        if (rights.length === 0 || rights.some((r) => !['Listen', 'Send', 'Manage'].includes(String(r)))) {
          throw new ArmError(
            400,
            'BadRequest',
            'Rights must be a non-empty list of Listen, Send and Manage.',
          );
        }
        if (rights.includes('Manage') && !(rights.includes('Listen') && rights.includes('Send'))) {
          throw new ArmError(400, 'BadRequest', 'Manage rights require Listen and Send rights as well.');
        }
        return {
          body: { properties: { rights } },
          secrets: existing?.secrets ?? { primaryKey: accessKey(32), secondaryKey: accessKey(32) },
        };
      },
    },
    delete: { status: 200 },
    actions: {
      listkeys: ({ resource, world }) => {
        const ns = world.store.get(resource.id.split('/').slice(0, -2).join('/'));
        return { body: keysOf(resource, str(ns?.body['name']) ?? '') };
      },
    },
  };

  const networkRuleSets: ResourceTypeDef = {
    type: networkType,
    apiVersions,
    provisioningState: 'none',
    validateName: (n) =>
      n.toLowerCase() === 'default'
        ? undefined
        : new ArmError(400, 'BadRequest', `The network rule set name must be 'default', not '${n}'.`),
    lookup: (id, world) => {
      const stored = world.store.get(id);
      if (stored !== undefined || id.split('/').pop()?.toLowerCase() !== 'default') return stored;
      const ns = world.store.get(id.split('/').slice(0, -2).join('/'));
      if (ns === undefined) return undefined;
      const synthesized = `${ns.id}/networkRuleSets/default`;
      return {
        id: synthesized,
        type: networkType,
        body: {
          id: synthesized,
          name: 'default',
          type: networkType,
          location: ns.body['location'],
          properties: {
            publicNetworkAccess: 'Enabled',
            defaultAction: 'Allow',
            virtualNetworkRules: [],
            ipRules: [],
            trustedServiceAccessEnabled: false,
          },
        },
        secrets: {},
        internal: {},
      };
    },
    put: {
      syncCreateStatus: 200,
      build: ({ input, parent }: BuildContext) => {
        const p = obj(input['properties']);
        validateIpRules(ruleValues(p['ipRules'], 'ipMask'), {
          code: 'BadRequest',
          field: 'properties.ipRules',
          service: namespace,
          allowPrivate: true,
        });
        return {
          body: {
            location: parent?.body['location'],
            properties: {
              publicNetworkAccess: str(p['publicNetworkAccess']) ?? 'Enabled',
              defaultAction: str(p['defaultAction']) ?? 'Allow',
              virtualNetworkRules: arr(p['virtualNetworkRules']),
              ipRules: arr(p['ipRules']).map((r) => ({
                ipMask: str(obj(r)['ipMask']),
                action: str(obj(r)['action']) ?? 'Allow',
              })),
              trustedServiceAccessEnabled: p['trustedServiceAccessEnabled'] ?? false,
            },
          },
        };
      },
    },
  };
  return [namespaces, authorizationRules, networkRuleSets];
}

export const serviceBus = defs('Microsoft.ServiceBus', [
  '2024-01-01',
  '2022-10-01-preview',
  '2022-01-01-preview',
  '2021-11-01',
  '2021-06-01-preview',
  '2017-04-01',
]);
export const eventHubs = defs('Microsoft.EventHub', [
  '2026-01-01',
  '2025-05-01-preview',
  '2024-05-01-preview',
  '2024-01-01',
  '2022-10-01-preview',
  '2022-01-01-preview',
  '2021-11-01',
  '2017-04-01',
]);
