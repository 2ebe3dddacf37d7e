/**
 * Microsoft.KubernetesConfiguration/extensions on managedClusters and connectedClusters (research
 * k8s-side.md §5.3). PUT (201/200) and PATCH (202) and DELETE (202) are long-running with
 * Azure-AsyncOperation; `statuses`, `errorInfo` and a Failed provisioningState come from injected
 * operation faults (the seed's Helm errors). On a busy AKS cluster, writes get AKS's 409.
 * Protected settings are write-only: reads show their keys without values.
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { bool, isObject, obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, LroSpec, ResourceTypeDef } from '../../engine/types.js';
import type { World } from '../../engine/world.js';
import { clusterBusy } from '../containerservice/aks-shared.js';

export const extensionApiVersions = ['2024-11-01', '2023-05-01', '2022-11-01', '2022-07-01', '2022-03-01'];
export const extensionType = 'Microsoft.KubernetesConfiguration/extensions';

const clusterTypes = [
  'microsoft.containerservice/managedclusters',
  'microsoft.kubernetes/connectedclusters',
  'microsoft.hybridcontainerservice/provisionedclusters',
];

const lro: LroSpec = { headers: 'azure-async', seconds: 30, retryAfterSeconds: 15 };

function invalid(message: string, target?: string): ArmError {
  return new ArmError(400, 'BadRequest', message, target === undefined ? {} : { target });
}

function clusterOf(id: string): string {
  return id.slice(0, id.toLowerCase().lastIndexOf('/providers/microsoft.kubernetesconfiguration/'));
}

function build(ctx: BuildContext) {
  const { input, existing, world, id } = ctx;
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  const type = str(p['extensionType']) ?? str(before['extensionType']);
  if (type === undefined || type.trim() === '')
    throw invalid('The extensionType property is required.', 'properties.extensionType');
  if (existing !== undefined && str(before['extensionType'])?.toLowerCase() !== type?.toLowerCase()) {
    throw invalid(
      'The extensionType of an existing extension cannot be changed.',
      'properties.extensionType',
    );
  }
  const autoUpgrade = bool(p['autoUpgradeMinorVersion']) ?? bool(before['autoUpgradeMinorVersion']) ?? true;
  const version = str(p['version']) ?? (existing === undefined ? undefined : str(before['version']));
  if (version !== undefined && autoUpgrade) {
    throw invalid(
      'A version can only be pinned when autoUpgradeMinorVersion is false.',
      'properties.version',
    );
  }
  const scope = isObject(p['scope']) ? p['scope'] : before['scope'];
  if (
    existing !== undefined &&
    p['scope'] !== undefined &&
    JSON.stringify(p['scope']) !== JSON.stringify(before['scope'])
  ) {
    throw invalid('The scope of an existing extension cannot be changed.', 'properties.scope');
  }
  const protectedSettings = {
    ...obj(existing?.secrets['protected']),
    ...obj(p['configurationProtectedSettings']),
  };
  const onAks = clusterOf(id)
    .toLowerCase()
    .includes('/providers/microsoft.containerservice/managedclusters/');
  const identityBefore = obj(before['aksAssignedIdentity']);
  return {
    body: {
      ...(onAks
        ? {}
        : {
            identity: {
              type: 'SystemAssigned',
              principalId: str(obj(existing?.body['identity'])['principalId']) ?? randomUUID(),
              tenantId: world.tenantId,
            },
          }),
      properties: {
        extensionType: type,
        autoUpgradeMinorVersion: autoUpgrade,
        releaseTrain: autoUpgrade
          ? (str(p['releaseTrain']) ?? str(before['releaseTrain']) ?? 'Stable')
          : undefined,
        ...(version === undefined ? {} : { version }),
        scope: scope ?? { cluster: { releaseNamespace: ctx.name } },
        configurationSettings: {
          ...obj(before['configurationSettings']),
          ...obj(p['configurationSettings']),
        },
        statuses: [],
        currentVersion: version ?? str(before['currentVersion']) ?? '1.0.0',
        isSystemExtension: false,
        ...(onAks
          ? {
              aksAssignedIdentity: {
                type: 'SystemAssigned',
                principalId: str(identityBefore['principalId']) ?? randomUUID(),
                tenantId: world.tenantId,
              },
            }
          : {}),
      },
    },
    secrets: { protected: protectedSettings },
  };
}

function registerIdentity(world: World, body: JsonObject): void {
  const principalId =
    str(obj(body['identity'])['principalId']) ??
    str(obj(obj(body['properties'])['aksAssignedIdentity'])['principalId']);
  if (principalId !== undefined)
    world.principals.add({ principalId, displayName: `${str(body['name']) ?? ''} (extension identity)` });
}

export const extensions: ResourceTypeDef = {
  type: extensionType,
  apiVersions: extensionApiVersions,
  scope: 'extension',
  acceptsScope: (scope, world) => {
    const type = world.store.get(scope)?.type.toLowerCase() ?? '';
    return clusterTypes.includes(type)
      ? undefined
      : invalid(
          `Extensions can only be installed on managedClusters, connectedClusters or provisionedClusters, not on '${scope}'.`,
        );
  },
  put: { lro, build },
  patch: { lro: { ...lro, createStatus: 202, updateStatus: 202 } },
  delete: { lro },
  checkBusy: ({ id, world, method }) =>
    method === 'DELETE' ||
    !clusterOf(id).toLowerCase().includes('/microsoft.containerservice/managedclusters/')
      ? undefined
      : clusterBusy(world, clusterOf(id)),
  afterWrite: ({ resource, world }) => registerIdentity(world, resource.body),
  present: (body, world) => {
    const resource = world.store.get(str(body['id']) ?? '');
    const keys = Object.keys(obj(resource?.secrets['protected']));
    obj(body['properties'])['configurationProtectedSettings'] = Object.fromEntries(keys.map((k) => [k, '']));
    return body;
  },
};
