/**
 * Microsoft.DocumentDB/databaseAccounts: long-running PUT/PATCH/DELETE (Azure-AsyncOperation and
 * Location); `ipRules[].ipAddressOrRange` (IPv4 address or CIDR); keys through `listKeys` and
 * connection strings through `listConnectionStrings`, formatted per API (NoSQL, MongoDB, Table).
 */
import { ArmError, badRequest } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, LroSpec, ResourceTypeDef } from '../../engine/types.js';
import { accessKey } from '../shared/keys.js';
import { envelope, required, ruleValues, validateIpRules } from '../shared/target-kit.js';

export const cosmosApiVersions = [
  '2026-03-15',
  '2025-10-15',
  '2025-04-15',
  '2024-11-15',
  '2024-08-15',
  '2024-05-15',
  '2023-11-15',
  '2023-09-15',
  '2023-04-15',
  '2023-03-15',
  '2022-11-15',
  '2022-08-15',
  '2022-05-15',
];

const lro: LroSpec = { headers: 'both', createStatus: 200, seconds: 60 };

function build({ input, existing, name }: BuildContext) {
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  if (existing === undefined) {
    required(input, 'properties.databaseAccountOfferType');
    if (arr(p['locations']).length === 0)
      throw badRequest(
        'The locations property must contain at least one location.',
        'BadRequest',
        'properties.locations',
      );
  }
  const ipRules = p['ipRules'] === undefined ? arr(before['ipRules']) : arr(p['ipRules']);
  validateIpRules(ruleValues(ipRules, 'ipAddressOrRange'), {
    code: 'BadRequest',
    field: 'properties.ipRules',
    service: 'Cosmos DB',
    allowPrivate: true,
  });
  return {
    body: {
      ...envelope(input, existing, ['location', 'tags', 'identity']),
      kind: str(input['kind']) ?? str(existing?.body['kind']) ?? 'GlobalDocumentDB',
      properties: {
        ...before,
        ...p,
        databaseAccountOfferType: 'Standard',
        documentEndpoint: `https://${name}.documents.azure.com:443/`,
        ipRules: ipRules.map((r) => ({ ipAddressOrRange: str(obj(r)['ipAddressOrRange']) })),
        publicNetworkAccess: str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']) ?? 'Enabled',
        isVirtualNetworkFilterEnabled:
          p['isVirtualNetworkFilterEnabled'] ?? before['isVirtualNetworkFilterEnabled'] ?? false,
        locations: arr(p['locations'] ?? before['locations']),
      },
    },
    secrets: existing?.secrets ?? {
      primaryMasterKey: accessKey(),
      secondaryMasterKey: accessKey(),
      primaryReadonlyMasterKey: accessKey(),
      secondaryReadonlyMasterKey: accessKey(),
    },
  };
}

const keyNames = [
  ['primaryMasterKey', 'Primary', 'Primary'],
  ['secondaryMasterKey', 'Secondary', 'Secondary'],
  ['primaryReadonlyMasterKey', 'Primary Read-Only', 'PrimaryReadonly'],
  ['secondaryReadonlyMasterKey', 'Secondary Read-Only', 'SecondaryReadonly'],
] as const;

function hasCapability(body: JsonObject, name: string): boolean {
  return arr(obj(body['properties'])['capabilities']).some((c) => str(obj(c)['name']) === name);
}

/**
 * As Cosmos DB answers per API: MongoDB accounts list `mongodb://` strings; other accounts list the
 * SQL (NoSQL) strings, plus `TableEndpoint` strings when the Table API is enabled.
 */
function connectionStrings(name: string, body: JsonObject, s: JsonObject) {
  const endpoint = str(obj(body['properties'])['documentEndpoint']) ?? '';
  if (str(body['kind']) === 'MongoDB') {
    const host = `${name}.mongo.cosmos.azure.com`;
    return {
      connectionStrings: keyNames.map(([key, label, keyKind]) => ({
        connectionString: `mongodb://${name}:${String(s[key])}@${host}:10255/?ssl=true&replicaSet=globaldb&retrywrites=false&maxIdleTimeMS=120000&appName=@${name}@`,
        description: `${label} MongoDB Connection String`,
        keyKind,
        type: 'MongoDB',
      })),
    };
  }
  const sql = keyNames.map(([key, label, keyKind]) => ({
    connectionString: `AccountEndpoint=${endpoint};AccountKey=${String(s[key])};`,
    description: `${label} SQL Connection String`,
    keyKind,
    type: 'Sql',
  }));
  const table = hasCapability(body, 'EnableTable')
    ? keyNames.map(([key, label, keyKind]) => ({
        connectionString: `DefaultEndpointsProtocol=https;AccountName=${name};AccountKey=${String(s[key])};TableEndpoint=https://${name}.table.cosmos.azure.com:443/;`,
        description: `${label} Table Connection String`,
        keyKind,
        type: 'Table',
      }))
    : [];
  return { connectionStrings: [...sql, ...table] };
}

export const cosmosAccounts: ResourceTypeDef = {
  type: 'Microsoft.DocumentDB/databaseAccounts',
  apiVersions: cosmosApiVersions,
  validateName: (name) =>
    /^[a-z0-9]([a-z0-9-]{1,48}[a-z0-9])$/.test(name)
      ? undefined
      : new ArmError(
          400,
          'BadRequest',
          `Database account name '${name}' is invalid: use 3-50 lowercase letters, numbers and hyphens, starting and ending with a letter or number.`,
        ),
  transientStates: { create: 'Creating', update: 'Updating', delete: 'Deleting' },
  put: { lro, build },
  patch: { lro },
  delete: { lro: { headers: 'both', seconds: 30 } },
  actions: {
    listkeys: ({ resource }) => ({ body: { ...resource.secrets } }),
    listreadonlykeys: ({ resource }) => ({
      body: {
        primaryReadonlyMasterKey: resource.secrets['primaryReadonlyMasterKey'],
        secondaryReadonlyMasterKey: resource.secrets['secondaryReadonlyMasterKey'],
      },
    }),
    listconnectionstrings: ({ resource }) => ({
      body: connectionStrings(str(resource.body['name']) ?? '', resource.body, resource.secrets),
    }),
  },
};
