/**
 * Microsoft.DocumentDB/databaseAccounts: long-running PUT/PATCH/DELETE (Azure-AsyncOperation and
 * Location); `ipRules[].ipAddressOrRange` (IPv4 address or CIDR); keys through `listKeys` and
 * connection strings through `listConnectionStrings`, as the SQL API formats them.
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

function connectionStrings(endpoint: string, s: JsonObject) {
  const entry = (key: string, description: string, keyKind: string) => ({
    connectionString: `AccountEndpoint=${endpoint};AccountKey=${String(s[key])};`,
    description,
    keyKind,
    type: 'Sql',
  });
  return {
    connectionStrings: [
      entry('primaryMasterKey', 'Primary SQL Connection String', 'Primary'),
      entry('secondaryMasterKey', 'Secondary SQL Connection String', 'Secondary'),
      entry('primaryReadonlyMasterKey', 'Primary Read-Only SQL Connection String', 'PrimaryReadonly'),
      entry('secondaryReadonlyMasterKey', 'Secondary Read-Only SQL Connection String', 'SecondaryReadonly'),
    ],
  };
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
      body: connectionStrings(
        str(obj(resource.body['properties'])['documentEndpoint']) ?? '',
        resource.secrets,
      ),
    }),
  },
};
