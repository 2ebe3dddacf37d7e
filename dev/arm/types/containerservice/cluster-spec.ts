/**
 * Managed cluster properties as AKS validates and defaults them: immutable fields, agent pool
 * profiles, the network profile (outbound types), the OIDC issuer (cannot be disabled once on),
 * workload identity (needs the OIDC issuer), add-ons, local accounts.
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { arr, bool, num, obj, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { BuildContext } from '../../engine/types.js';
import type { World } from '../../engine/world.js';
import { parseArmId } from '../../../../shared/util/arm-id.js';
import { defaultKubernetesVersion, nodeResourceGroupName } from './aks-shared.js';
import { normalizePool } from './agent-pool-spec.js';

const outboundTypes = [
  'loadBalancer',
  'userDefinedRouting',
  'managedNATGateway',
  'userAssignedNATGateway',
  'none',
];
const readOnlyPoolFields = [
  'name',
  'provisioningState',
  'currentOrchestratorVersion',
  'powerState',
  'nodeImageVersion',
  'eTag',
];

function invalid(message: string, target: string, code = 'InvalidParameter'): ArmError {
  return new ArmError(400, code, message, { target });
}

function immutable(name: string, before: unknown, after: unknown): void {
  if (
    before !== undefined &&
    after !== undefined &&
    JSON.stringify(before).toLowerCase() !== JSON.stringify(after).toLowerCase()
  ) {
    throw invalid(
      `Changing property '${name}' is not allowed.`,
      `properties.${name}`,
      'PropertyChangeNotAllowed',
    );
  }
}

export function stripPoolReadOnly(profile: JsonObject): JsonObject {
  const out = { ...profile };
  for (const k of readOnlyPoolFields) delete out[k];
  return out;
}

export interface PendingPool {
  readonly name: string;
  readonly properties: JsonObject;
}

function pools(
  world: World,
  input: JsonObject,
  existing: StoredResource | undefined,
  version: string,
): PendingPool[] | undefined {
  const profiles = arr(input['agentPoolProfiles']);
  if (profiles.length === 0) {
    if (existing === undefined) {
      throw invalid(
        'The cluster must define at least one agent pool in agentPoolProfiles.',
        'properties.agentPoolProfiles',
        'MustDefineAtLeastOneSystemPool',
      );
    }
    return undefined;
  }
  const seen = new Set<string>();
  const result = profiles.map((raw) => {
    const profile = obj(raw);
    const name = str(profile['name']) ?? '';
    if (seen.has(name))
      throw invalid(`Agent pool name '${name}' is used more than once.`, 'properties.agentPoolProfiles');
    seen.add(name);
    const before =
      existing === undefined
        ? {}
        : obj(world.store.get(`${existing.id}/agentPools/${name}`)?.body['properties']);
    return {
      name,
      properties: normalizePool(world, name, stripPoolReadOnly(profile), stripPoolReadOnly(before), version),
    };
  });
  if (existing === undefined && !result.some((p) => p.properties['mode'] === 'System')) {
    throw invalid(
      'Must define at least one system pool.',
      'properties.agentPoolProfiles',
      'MustDefineAtLeastOneSystemPool',
    );
  }
  return result;
}

function networkProfile(world: World, input: JsonObject, before: JsonObject): JsonObject {
  const net = { ...before, ...input };
  const outboundType = str(net['outboundType']) ?? 'loadBalancer';
  if (!outboundTypes.includes(outboundType)) {
    throw invalid(
      `The outboundType '${outboundType}' is invalid; use one of ${outboundTypes.join(', ')}.`,
      'properties.networkProfile.outboundType',
    );
  }
  const lb = obj(net['loadBalancerProfile']);
  const count = num(obj(lb['managedOutboundIPs'])['count']);
  if (count !== undefined && (count < 1 || count > 100)) {
    throw invalid(
      `managedOutboundIPs.count ${count} is invalid; it must be between 1 and 100.`,
      'properties.networkProfile.loadBalancerProfile.managedOutboundIPs.count',
    );
  }
  for (const ref of [
    ...arr(obj(lb['outboundIPs'])['publicIPs']),
    ...arr(obj(lb['outboundIPPrefixes'])['publicIPPrefixes']),
  ]) {
    const id = str(obj(ref)['id']);
    if (id === undefined || !world.store.has(id)) {
      throw invalid(
        `The outbound IP resource '${id ?? ''}' was not found.`,
        'properties.networkProfile.loadBalancerProfile',
      );
    }
  }
  const natCount = num(obj(obj(net['natGatewayProfile'])['managedOutboundIPProfile'])['count']);
  if (natCount !== undefined && (natCount < 1 || natCount > 16)) {
    throw invalid(
      `natGatewayProfile.managedOutboundIPProfile.count ${natCount} is invalid; it must be between 1 and 16.`,
      'properties.networkProfile.natGatewayProfile',
    );
  }
  return {
    networkPlugin: str(net['networkPlugin']) ?? 'azure',
    networkPluginMode:
      str(net['networkPluginMode']) ?? (str(net['networkPlugin']) === 'kubenet' ? undefined : 'overlay'),
    ...(net['networkPolicy'] === undefined ? {} : { networkPolicy: net['networkPolicy'] }),
    podCidr: str(net['podCidr']) ?? '10.244.0.0/16',
    serviceCidr: str(net['serviceCidr']) ?? '10.0.0.0/16',
    dnsServiceIP: str(net['dnsServiceIP']) ?? '10.0.0.10',
    outboundType,
    loadBalancerSku: 'standard',
    ...(net['loadBalancerProfile'] === undefined ? {} : { loadBalancerProfile: lb }),
    ...(net['natGatewayProfile'] === undefined ? {} : { natGatewayProfile: net['natGatewayProfile'] }),
    ipFamilies: arr(net['ipFamilies']).length > 0 ? net['ipFamilies'] : ['IPv4'],
  };
}

export function buildCluster(ctx: BuildContext): { body: JsonObject; internal: JsonObject } {
  const { input, existing, world, id, name } = ctx;
  const parsed = parseArmId(id);
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  const location = str(input['location']) as string;
  immutable('nodeResourceGroup', before['nodeResourceGroup'], p['nodeResourceGroup']);
  immutable('dnsPrefix', before['dnsPrefix'], p['dnsPrefix']);
  const dnsPrefix =
    str(p['dnsPrefix']) ??
    str(before['dnsPrefix']) ??
    `${name.slice(0, 10)}-${(parsed.resourceGroup ?? '').slice(0, 16)}-${parsed.subscriptionId.slice(0, 6)}`;
  const version = str(p['kubernetesVersion']) ?? str(before['kubernetesVersion']) ?? defaultKubernetesVersion;
  const pending = pools(world, p, existing, version);

  const oidcBefore = obj(before['oidcIssuerProfile']);
  const oidcEnabled = bool(obj(p['oidcIssuerProfile'])['enabled']) ?? bool(oidcBefore['enabled']) ?? false;
  if (oidcBefore['enabled'] === true && !oidcEnabled) {
    throw invalid(
      'The OIDC issuer cannot be disabled once it has been enabled.',
      'properties.oidcIssuerProfile.enabled',
      'BadRequest',
    );
  }
  const security = { ...obj(before['securityProfile']), ...obj(p['securityProfile']) };
  if (obj(security['workloadIdentity'])['enabled'] === true && !oidcEnabled) {
    throw invalid(
      'Enabling workload identity requires the OIDC issuer to be enabled (oidcIssuerProfile.enabled).',
      'properties.securityProfile.workloadIdentity',
      'BadRequest',
    );
  }
  const fqdnHash = str(existing?.internal['fqdnHash']) ?? randomUUID().replaceAll('-', '').slice(0, 8);
  const identityBefore = obj(existing?.body['identity']);
  const identityType = str(obj(input['identity'])['type']) ?? str(identityBefore['type']) ?? 'SystemAssigned';
  const properties: JsonObject = {
    ...before,
    ...p,
    powerState: { code: 'Running' },
    kubernetesVersion: version,
    currentKubernetesVersion: version,
    dnsPrefix,
    fqdn: `${dnsPrefix}-${fqdnHash}.hcp.${location}.azmk8s.io`,
    azurePortalFQDN: `${dnsPrefix}-${fqdnHash}.portal.hcp.${location}.azmk8s.io`,
    nodeResourceGroup:
      str(p['nodeResourceGroup']) ??
      str(before['nodeResourceGroup']) ??
      nodeResourceGroupName(parsed.resourceGroup ?? '', name, location),
    enableRBAC: bool(p['enableRBAC']) ?? bool(before['enableRBAC']) ?? true,
    maxAgentPools: 100,
    servicePrincipalProfile: { clientId: 'msi' },
    supportPlan: str(p['supportPlan']) ?? str(before['supportPlan']) ?? 'KubernetesOfficial',
    disableLocalAccounts: bool(p['disableLocalAccounts']) ?? bool(before['disableLocalAccounts']) ?? false,
    networkProfile: networkProfile(world, obj(p['networkProfile']), obj(before['networkProfile'])),
    oidcIssuerProfile: {
      enabled: oidcEnabled,
      ...(oidcEnabled && oidcBefore['issuerURL'] !== undefined ? { issuerURL: oidcBefore['issuerURL'] } : {}),
    },
    securityProfile: security,
    addonProfiles: { ...obj(before['addonProfiles']), ...obj(p['addonProfiles']) },
    ...(before['identityProfile'] === undefined ? {} : { identityProfile: before['identityProfile'] }),
  };
  delete properties['agentPoolProfiles'];
  delete properties['provisioningState'];
  return {
    body: {
      location,
      // AKS's optimistic-concurrency token: a new value on every update, checked by If-Match.
      eTag: randomUUID(),
      ...(input['tags'] === undefined ? {} : { tags: input['tags'] }),
      sku: { name: 'Base', tier: 'Free', ...obj(input['sku']) },
      identity: {
        type: identityType,
        principalId: str(identityBefore['principalId']) ?? randomUUID(),
        tenantId: world.tenantId,
        ...(obj(input['identity'])['userAssignedIdentities'] === undefined
          ? {}
          : { userAssignedIdentities: obj(input['identity'])['userAssignedIdentities'] }),
      },
      properties,
    },
    internal: {
      ...existing?.internal,
      fqdnHash,
      ...(pending === undefined ? {} : { pendingPools: pending }),
    },
  };
}
