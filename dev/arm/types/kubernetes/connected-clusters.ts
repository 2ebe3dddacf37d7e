/**
 * Microsoft.Kubernetes/connectedClusters (Arc-enabled Kubernetes; research k8s-side.md §5.1, seed
 * 004). Long-running PUT (201/200, Azure-AsyncOperation) and DELETE; PATCH is synchronous.
 * `identity` and `agentPublicKeyCertificate` are required; `privateLinkState: Enabled` needs an
 * existing Arc private link scope in the cluster's region, and `privateLinkScopeResourceId` is only
 * kept while private link is enabled; cluster connect (`listClusterUserCredential`, with or
 * without `clientProxy`) is refused with private link, as the seed says. The OIDC issuer
 * (`oidcIssuerProfile.issuerUrl`, note the casing) comes from the cluster's Kubernetes API server.
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { bool, obj, props, str } from '../../core/json.js';
import type { BuildContext, EffectContext, ResourceTypeDef } from '../../engine/types.js';
import { credentialAction } from '../containerservice/kubeconfig.js';
import { ensureKube, issuerUrlFor } from '../containerservice/kube-link.js';

export const connectedClusterApiVersions = [
  '2026-05-01',
  '2026-03-01',
  '2024-12-01-preview',
  '2024-07-15-preview',
  '2024-07-01-preview',
  '2024-06-01-preview',
  '2024-02-01-preview',
  '2024-01-01',
  '2023-11-01-preview',
  '2022-10-01-preview',
  '2021-10-01',
  '2021-03-01',
];

function invalid(message: string, target: string): ArmError {
  return new ArmError(400, 'BadRequest', message, { target });
}

function build(ctx: BuildContext) {
  const { input, existing, world } = ctx;
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  const identity = obj(input['identity'] ?? existing?.body['identity']);
  if (str(identity['type']) === undefined) throw invalid('The identity property is required.', 'identity');
  const certificate = str(p['agentPublicKeyCertificate']) ?? str(before['agentPublicKeyCertificate']);
  if (certificate === undefined)
    throw invalid(
      'The agentPublicKeyCertificate property is required.',
      'properties.agentPublicKeyCertificate',
    );
  const privateLinkState = str(p['privateLinkState']) ?? str(before['privateLinkState']) ?? 'Disabled';
  const scopeId = str(p['privateLinkScopeResourceId']) ?? str(before['privateLinkScopeResourceId']);
  let scopeRef: string | undefined;
  if (privateLinkState === 'Enabled') {
    const scope = scopeId === undefined ? undefined : world.store.get(scopeId);
    if (scope?.type !== 'Microsoft.HybridCompute/privateLinkScopes') {
      throw invalid(
        `Private link scope '${scopeId ?? ''}' was not found; privateLinkState Enabled needs an existing Azure Arc private link scope.`,
        'properties.privateLinkScopeResourceId',
      );
    }
    if (str(scope.body['location']) !== str(input['location'])) {
      throw invalid(
        'The connected cluster and its private link scope must be in the same region.',
        'properties.privateLinkScopeResourceId',
      );
    }
    scopeRef = scope.id;
  }
  const oidc = { ...obj(before['oidcIssuerProfile']), ...obj(p['oidcIssuerProfile']) };
  const systemIdentity = str(identity['type']) === 'SystemAssigned';
  return {
    body: {
      location: input['location'],
      ...(input['tags'] === undefined ? {} : { tags: input['tags'] }),
      kind: str(input['kind']) ?? str(existing?.body['kind']) ?? 'ProvisionedCluster',
      identity: systemIdentity
        ? {
            type: 'SystemAssigned',
            principalId: str(obj(existing?.body['identity'])['principalId']) ?? randomUUID(),
            tenantId: world.tenantId,
          }
        : { type: str(identity['type']) },
      properties: {
        ...before,
        ...p,
        agentPublicKeyCertificate: certificate,
        kubernetesVersion: str(before['kubernetesVersion']) ?? '1.33.5',
        totalNodeCount: before['totalNodeCount'] ?? 3,
        totalCoreCount: before['totalCoreCount'] ?? 12,
        agentVersion: str(before['agentVersion']) ?? '1.24.4',
        distribution: str(p['distribution']) ?? str(before['distribution']) ?? 'generic',
        infrastructure: str(p['infrastructure']) ?? str(before['infrastructure']) ?? 'generic',
        connectivityStatus: str(before['connectivityStatus']) ?? 'Connecting',
        privateLinkState,
        ...(scopeRef === undefined
          ? { privateLinkScopeResourceId: undefined }
          : { privateLinkScopeResourceId: scopeRef }),
        azureHybridBenefit:
          str(p['azureHybridBenefit']) ?? str(before['azureHybridBenefit']) ?? 'NotApplicable',
        oidcIssuerProfile: { ...oidc, enabled: bool(oidc['enabled']) ?? false },
      },
    },
  };
}

async function afterWrite({ resource, world }: EffectContext): Promise<void> {
  const p = props(resource.body);
  p['connectivityStatus'] = 'Connected';
  p['lastConnectivityTime'] = new Date(world.clock.now()).toISOString();
  const principalId = str(obj(resource.body['identity'])['principalId']);
  if (principalId !== undefined)
    world.principals.add({
      principalId,
      displayName: `${str(resource.body['name']) ?? ''} (Arc cluster identity)`,
    });
  await ensureKube(world, resource);
  const oidc = obj(p['oidcIssuerProfile']);
  if (oidc['enabled'] === true) oidc['issuerUrl'] = issuerUrlFor(world, resource);
  else delete oidc['issuerUrl'];
}

const userCredential = credentialAction('user');

export const connectedClusters: ResourceTypeDef = {
  type: 'Microsoft.Kubernetes/connectedClusters',
  apiVersions: connectedClusterApiVersions,
  transientStates: { create: 'Provisioning', update: 'Updating', delete: 'Deleting' },
  put: { lro: { headers: 'azure-async', seconds: 30 }, build },
  patch: {},
  delete: { lro: { headers: 'both', seconds: 20 } },
  afterWrite,
  afterDelete: async ({ resource, world }) => {
    world.principals.remove(str(obj(resource.body['identity'])['principalId']) ?? '');
    await world.kube()?.deleteCluster(resource.id);
  },
  actions: {
    listclusterusercredential: async (ctx) => {
      // Every kubeconfig this action returns goes through cluster connect (with or without
      // clientProxy), which private link does not support: refused whatever the body (ADR 0110;
      // the status and code are our assumption, Azure does not document them).
      if (str(props(ctx.resource.body)['privateLinkState'])?.toLowerCase() === 'enabled') {
        throw new ArmError(
          400,
          'BadRequest',
          'Cluster connect is not supported for connected clusters with private link enabled.',
        );
      }
      const result = await userCredential(ctx);
      const configs = obj(result.body)['kubeconfigs'] as { value: string }[];
      return { body: { kubeconfigs: configs.map((c) => ({ name: 'credentialName1', value: c.value })) } };
    },
  },
};
