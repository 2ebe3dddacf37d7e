/**
 * Microsoft.Authorization/roleDefinitions: the built-in roles, readable at any scope (the id is
 * shown under the scope asked for), listable with `$filter=roleName eq '...'` or `type eq 'BuiltInRole'`.
 */
import { ArmError } from '../../core/arm-error.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { ResourceTypeDef } from '../../engine/types.js';
import { type BuiltInRole, builtInRoles } from './built-in-roles.js';

export const authorizationApiVersions = [
  '2022-05-01-preview',
  '2022-04-01',
  '2022-01-01-preview',
  '2020-10-01-preview',
  '2020-10-01',
  '2020-08-01-preview',
  '2020-04-01-preview',
  '2018-09-01-preview',
  '2018-01-01-preview',
  '2015-07-01',
];

export const roleDefinitionType = 'Microsoft.Authorization/roleDefinitions';

function body(scope: string, role: BuiltInRole): JsonObject {
  return {
    id: `${scope}/providers/${roleDefinitionType}/${role.id}`,
    type: roleDefinitionType,
    name: role.id,
    properties: {
      roleName: role.roleName,
      type: 'BuiltInRole',
      description: role.description,
      assignableScopes: ['/'],
      permissions: [
        {
          actions: role.actions,
          notActions: role.notActions ?? [],
          dataActions: role.dataActions ?? [],
          notDataActions: [],
        },
      ],
      createdOn: '2015-02-02T21:55:09.8806423Z',
      updatedOn: '2025-01-01T00:00:00.0000000Z',
      createdBy: null,
      updatedBy: null,
    },
  };
}

export function findBuiltInRole(roleDefinitionId: string): BuiltInRole | undefined {
  const guid = roleDefinitionId.split('/').pop()?.toLowerCase();
  return builtInRoles.find((r) => r.id === guid);
}

function scopeOf(id: string): string {
  return id.slice(0, id.toLowerCase().lastIndexOf('/providers/microsoft.authorization/'));
}

export const roleDefinitions: ResourceTypeDef = {
  type: roleDefinitionType,
  apiVersions: authorizationApiVersions,
  scope: 'extension',
  provisioningState: 'none',
  lookup: (id): StoredResource | undefined => {
    const role = findBuiltInRole(id);
    if (role === undefined) return undefined;
    return { id, type: roleDefinitionType, body: body(scopeOf(id), role), secrets: {}, internal: {} };
  },
  list: ({ scope, query }) => {
    const filter = query.get('$filter') ?? '';
    const byName = /roleName\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const byType = /type\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    if (byType !== undefined && byType !== 'BuiltInRole' && byType !== 'CustomRole') {
      throw new ArmError(400, 'InvalidFilter', `The filter '${filter}' is not supported.`);
    }
    return builtInRoles
      .filter((r) => byName === undefined || r.roleName.toLowerCase() === byName.toLowerCase())
      .filter(() => byType !== 'CustomRole')
      .map((r) => body(scope, r));
  },
};
