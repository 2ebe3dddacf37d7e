/** Linker bodies as clients send them, and a way to change one field of a fresh copy. */
import { Issues, type Issue } from '../../shared/model/validation/issues.js';
import { validateLinkerBody } from '../../shared/model/validate-linker.js';
import type { LinkerDraft } from '../../shared/model/linker-spec.js';

export const subscriptionId = '00000000-0000-0000-0000-000000000001';
export const clientId = '11111111-2222-3333-4444-555555555555';
export const principalId = '66666666-7777-8888-9999-000000000000';
const rg = `/subscriptions/${subscriptionId}/resourceGroups/rg-data/providers`;

export const targets = {
  blob: `${rg}/Microsoft.Storage/storageAccounts/stdata/blobServices/default`,
  file: `${rg}/Microsoft.Storage/storageAccounts/stdata/fileServices/default`,
  keyVault: `${rg}/Microsoft.KeyVault/vaults/kv-data`,
  postgres: `${rg}/Microsoft.DBforPostgreSQL/flexibleServers/pg-data/databases/app`,
  serviceBus: `${rg}/Microsoft.ServiceBus/namespaces/sb-data`,
} as const;

export const clusterId = `/subscriptions/${subscriptionId}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1`;

type Body = Record<string, unknown>;

/** What `az aks connection create storage-blob --workload-identity` sends. */
export function workloadIdentityBody(): Body {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: targets.blob },
      authInfo: { authType: 'userAssignedIdentity', clientId, subscriptionId },
      clientType: 'python',
      scope: 'default',
      secretStore: {},
      publicNetworkSolution: {},
      configurationInfo: {},
    },
  };
}

export function keyVaultCsiBody(): Body {
  return {
    properties: {
      targetService: {
        type: 'AzureResource',
        id: targets.keyVault,
        resourceProperties: { type: 'KeyVault', connectAsKubernetesCsiDriver: true },
      },
      authInfo: { authType: 'userAssignedIdentity' },
      clientType: 'none',
    },
  };
}

export function postgresSecretBody(value = 'p@ssw0rd-in-clear'): Body {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: targets.postgres },
      authInfo: { authType: 'secret', name: 'appuser', secretInfo: { secretType: 'rawValue', value } },
      clientType: 'nodejs',
    },
  };
}

export function servicePrincipalBody(secret = 'sp-secret-in-clear'): Body {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: targets.serviceBus },
      authInfo: { authType: 'servicePrincipalSecret', clientId, principalId, secret },
    },
  };
}

/** A deep copy of `body` with the value at a dotted path replaced (`undefined` removes it). */
export function withValue(body: Body, path: string, value: unknown): Body {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

export function validate(body: unknown): { draft: LinkerDraft | undefined; issues: readonly Issue[] } {
  const issues = new Issues();
  const draft = validateLinkerBody(body, issues);
  return { draft: issues.ok ? draft : undefined, issues: issues.list };
}
