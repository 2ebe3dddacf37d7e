/**
 * Microsoft.Storage/storageAccounts. Create is a long-running operation answered 202 + Location
 * (the SDK's `resourceLocationConfig: "location"`), a PUT on an existing account and PATCH are
 * synchronous, delete is synchronous (200/204). `networkAcls.ipRules` are validated as Storage does
 * (Learn storage-network-security-limitations: public IPv4 only, /31 and /32 refused, 400 rules):
 * 400 InvalidValuesForRequestParameters "Values for request parameters are invalid:
 * networkAcls.ipRule[*].value" (the message users report in Azure/azure-cli#13828 and ASO#3647).
 */
import { ArmError, badRequest } from '../../core/arm-error.js';
import { arr, isObject, obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import { isPublicIpv4, parseIpv4OrCidr } from '../shared/ip.js';
import { accessKey, keyTimestamp } from '../shared/keys.js';

export const storageApiVersions = [
  '2026-09-01',
  '2026-06-01',
  '2026-04-01',
  '2025-08-01',
  '2025-06-01',
  '2025-01-01',
  '2024-01-01',
  '2023-05-01',
  '2023-04-01',
  '2023-01-01',
  '2022-09-01',
  '2022-05-01',
  '2021-09-01',
  '2021-08-01',
  '2021-06-01',
  '2021-04-01',
  '2021-02-01',
  '2021-01-01',
];

export const storageIpRuleLimit = 400;

const invalidIpRule = (): ArmError =>
  new ArmError(
    400,
    'InvalidValuesForRequestParameters',
    'Values for request parameters are invalid: networkAcls.ipRule[*].value. For more information, see - https://aka.ms/storagenetworkruleset',
  );

export function validateStorageNetworkAcls(networkAcls: unknown): JsonObject | undefined {
  if (networkAcls === undefined || networkAcls === null) return undefined;
  if (!isObject(networkAcls)) throw badRequest('networkAcls must be an object.', 'InvalidRequestContent');
  const defaultAction = str(networkAcls['defaultAction']);
  if (defaultAction !== 'Allow' && defaultAction !== 'Deny') {
    throw new ArmError(
      400,
      'InvalidValuesForRequestParameters',
      'Values for request parameters are invalid: networkAcls.defaultAction. For more information, see - https://aka.ms/storagenetworkruleset',
    );
  }
  const rules = arr(networkAcls['ipRules']);
  if (rules.length > storageIpRuleLimit) {
    throw new ArmError(
      400,
      'InvalidValuesForRequestParameters',
      `Values for request parameters are invalid: networkAcls.ipRules. The number of IP rules (${rules.length}) exceeds the maximum of ${storageIpRuleLimit}. For more information, see - https://aka.ms/storagenetworkruleset`,
    );
  }
  const ipRules = rules.map((rule) => {
    const value = str(obj(rule)['value']);
    const action = str(obj(rule)['action']) ?? 'Allow';
    const range = value === undefined ? undefined : parseIpv4OrCidr(value);
    const isCidr = value?.includes('/') ?? false;
    if (range === undefined || action !== 'Allow' || !isPublicIpv4(range.address)) throw invalidIpRule();
    // Storage takes single addresses without a prefix; /31 and /32 ranges are refused.
    if (isCidr && range.prefix > 30) throw invalidIpRule();
    return { value: value as string, action };
  });
  return {
    resourceAccessRules: arr(networkAcls['resourceAccessRules']),
    bypass: str(networkAcls['bypass']) ?? 'AzureServices',
    virtualNetworkRules: arr(networkAcls['virtualNetworkRules']),
    ipRules,
    defaultAction,
    ...(networkAcls['ipv6Rules'] === undefined ? {} : { ipv6Rules: arr(networkAcls['ipv6Rules']) }),
  };
}

function endpoints(name: string): JsonObject {
  const base = (svc: string) => `https://${name}.${svc}.core.windows.net/`;
  return {
    dfs: base('dfs'),
    web: `https://${name}.z13.web.core.windows.net/`,
    blob: base('blob'),
    queue: base('queue'),
    table: base('table'),
    file: base('file'),
  };
}

function build(ctx: BuildContext) {
  const { input, existing, name, world } = ctx;
  const sku = obj(input['sku']);
  if (str(sku['name']) === undefined) {
    throw badRequest(
      "The request content was invalid and could not be deserialized: 'Required property 'sku' not found in JSON.'",
      'InvalidRequestContent',
    );
  }
  const kind = str(input['kind']) ?? str(existing?.body['kind']);
  if (kind === undefined) {
    throw badRequest(
      "The request content was invalid and could not be deserialized: 'Required property 'kind' not found in JSON.'",
      'InvalidRequestContent',
    );
  }
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  const networkAcls = validateStorageNetworkAcls(p['networkAcls']) ??
    (before['networkAcls'] as JsonObject | undefined) ?? {
      bypass: 'AzureServices',
      virtualNetworkRules: [],
      ipRules: [],
      defaultAction: 'Allow',
    };
  const now = world.clock.now();
  const location = str(input['location']) as string;
  const properties: JsonObject = {
    ...before,
    ...p,
    networkAcls,
    publicNetworkAccess: str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']) ?? 'Enabled',
    minimumTlsVersion: str(p['minimumTlsVersion']) ?? str(before['minimumTlsVersion']) ?? 'TLS1_2',
    allowBlobPublicAccess: p['allowBlobPublicAccess'] ?? before['allowBlobPublicAccess'] ?? false,
    supportsHttpsTrafficOnly: p['supportsHttpsTrafficOnly'] ?? before['supportsHttpsTrafficOnly'] ?? true,
    accessTier:
      str(p['accessTier']) ?? str(before['accessTier']) ?? (kind === 'StorageV2' ? 'Hot' : undefined),
    keyCreationTime: before['keyCreationTime'] ?? { key1: keyTimestamp(now), key2: keyTimestamp(now) },
    creationTime: before['creationTime'] ?? new Date(now).toISOString(),
    primaryEndpoints: endpoints(name),
    primaryLocation: location,
    statusOfPrimary: 'available',
  };
  const secrets = existing?.secrets ?? { key1: accessKey(), key2: accessKey() };
  return {
    body: {
      sku: {
        name: sku['name'],
        tier: str(sku['name'])?.startsWith('Premium') === true ? 'Premium' : 'Standard',
      },
      kind,
      location,
      ...(input['tags'] === undefined ? {} : { tags: input['tags'] }),
      ...(input['identity'] === undefined ? {} : { identity: input['identity'] }),
      properties,
    },
    secrets,
  };
}

function listKeysBody(secrets: JsonObject, properties: JsonObject) {
  const created = obj(properties['keyCreationTime']);
  return {
    keys: ['key1', 'key2'].map((keyName) => ({
      keyName,
      value: secrets[keyName],
      permissions: 'FULL',
      creationTime: created[keyName],
    })),
  };
}

export const storageAccounts: ResourceTypeDef = {
  type: 'Microsoft.Storage/storageAccounts',
  apiVersions: storageApiVersions,
  validateName: (name) =>
    /^[a-z0-9]{3,24}$/.test(name)
      ? undefined
      : new ArmError(
          400,
          'AccountNameInvalid',
          `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`,
        ),
  transientStates: { create: 'Creating', update: 'Creating' },
  put: {
    lro: { headers: 'location', createStatus: 202, emptyBody: true, seconds: 20, retryAfterSeconds: 17 },
    updateLro: null,
    build,
  },
  patch: {},
  delete: { status: 200 },
  actions: {
    listkeys: ({ resource }) => ({ body: listKeysBody(resource.secrets, obj(resource.body['properties'])) }),
    regeneratekey: ({ resource, body, world }) => {
      const keyName = str(obj(body)['keyName']);
      if (keyName !== 'key1' && keyName !== 'key2') {
        throw badRequest(
          `The key name '${keyName ?? ''}' is invalid. Valid values are key1 and key2.`,
          'InvalidValuesForRequestParameters',
        );
      }
      resource.secrets[keyName] = accessKey();
      obj(obj(resource.body['properties'])['keyCreationTime'])[keyName] = keyTimestamp(world.clock.now());
      return { body: listKeysBody(resource.secrets, obj(resource.body['properties'])) };
    },
  },
};
