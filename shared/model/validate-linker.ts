/**
 * The whole linker body (`LinkerResource`): every field is checked and every problem reported
 * together, with its JSON path. Read-only properties that GET returns (id, name, type, systemData,
 * etag, provisioningState, status, kubernetesResourceName...) may be sent back and are ignored, as
 * ARM does; anything else we do not know or do not support is refused, never silently dropped.
 */
import { identifyTarget, isInClusterTarget } from '../targets/kinds.js';
import { clientTypes, type LinkerDraft, type PublicNetworkSpec } from './linker-spec.js';
import { defaultNamespace, namespaceHint, namespacePattern } from './linker-names.js';
import { validateAuthInfo } from './validate-auth.js';
import { validateConfigurationInfo } from './validate-configuration.js';
import { validatePublicNetwork } from './validate-network.js';
import { validateTargetService } from './validate-target.js';
import { childPath, type Issues } from './validation/issues.js';
import { readEnum, readObject, readString, rejectUnknown, type JsonObject } from './validation/readers.js';

/** Top-level read-only properties of an ARM resource that a client may send back. */
export const armReadOnlyProperties = ['id', 'name', 'type', 'systemData', 'etag'] as const;

/** Read-only properties that GET returns under `properties`. */
export const linkerReadOnlyProperties = [
  'provisioningState',
  'status',
  'kubernetesResourceName',
  'kubernetesServiceAccountName',
] as const;

const linkerProperties = [
  'targetService',
  'authInfo',
  'clientType',
  'scope',
  'publicNetworkSolution',
  'configurationInfo',
  'secretStore',
  'vNetSolution',
];

/** Validates a PUT body `{ properties: {...} }`; use the draft only when `issues.ok`. */
export function validateLinkerBody(body: unknown, issues: Issues): LinkerDraft | undefined {
  const obj = readObject(body, '', issues);
  if (obj === undefined) return undefined;
  rejectUnknown(
    obj,
    '',
    { known: ['properties'], readOnly: armReadOnlyProperties, what: 'a linker' },
    issues,
  );
  return validateLinkerProperties(obj['properties'], 'properties', issues);
}

/**
 * Validates `LinkerProperties` at `path` (also the connection part of a template). A draft may come
 * back with defaults where a value was bad: the caller decides by `issues.ok`, never by the draft.
 */
export function validateLinkerProperties(
  value: unknown,
  path: string,
  issues: Issues,
): LinkerDraft | undefined {
  const obj = readObject(value, path, issues, true);
  if (obj === undefined) return undefined;
  const ok = issues.clean(() =>
    rejectUnknown(
      obj,
      path,
      { known: linkerProperties, readOnly: linkerReadOnlyProperties, what: 'linker properties' },
      issues,
    ),
  );
  const target = validateTargetService(obj['targetService'], childPath(path, 'targetService'), issues);
  const csi = target?.spec.resourceProperties?.connectAsKubernetesCsiDriver === true;
  const authInfo = validateAuthInfo(obj['authInfo'], childPath(path, 'authInfo'), issues, {
    target: target?.ref,
    csi,
  });
  const clientType = readEnum(obj, 'clientType', path, issues, clientTypes) ?? 'none';
  const scope =
    readString(obj, 'scope', path, issues, { pattern: namespacePattern, patternHint: namespaceHint }) ??
    defaultNamespace;
  const inCluster = target !== undefined && isInClusterTarget(target.ref.kind);
  const publicNetworkSolution = inCluster
    ? noFirewallInCluster(obj['publicNetworkSolution'], childPath(path, 'publicNetworkSolution'), issues)
    : validatePublicNetwork(obj['publicNetworkSolution'], childPath(path, 'publicNetworkSolution'), issues);
  const configurationInfo = validateConfigurationInfo(
    obj['configurationInfo'],
    childPath(path, 'configurationInfo'),
    issues,
  );
  const vNetOk = checkVNetSolution(obj['vNetSolution'], childPath(path, 'vNetSolution'), issues);
  const usesReference =
    authInfo?.authType === 'secret' && authInfo.secretInfo?.secretType === 'keyVaultSecretReference';
  const secretStore = readSecretStore(obj, path, issues, usesReference);
  if (
    !ok ||
    !vNetOk ||
    target === undefined ||
    authInfo === undefined ||
    publicNetworkSolution === undefined ||
    configurationInfo === undefined ||
    secretStore === 'invalid'
  ) {
    return undefined;
  }
  return {
    targetService: target.spec,
    authInfo,
    clientType,
    scope,
    publicNetworkSolution,
    configurationInfo,
    ...(secretStore === undefined ? {} : { secretStore }),
  };
}

/**
 * A broker inside the cluster is reached without leaving it: there is no firewall to open, so the
 * option is refused rather than ignored, and the connection is stored as opted out (ADR 0120).
 */
function noFirewallInCluster(value: unknown, path: string, issues: Issues): PublicNetworkSpec | undefined {
  if (value !== undefined && value !== null) {
    issues.add(
      'ConflictingProperties',
      path,
      `'${path}' does not apply to an in-cluster target: the workload reaches the MQTT broker inside the cluster, through no firewall.`,
    );
    return undefined;
  }
  return { action: 'optOut', deleteOrUpdateBehavior: 'Default', firewallRules: { ipRanges: [] } };
}

/** ServiceLinker's VNet options (service endpoint, private link) do not exist for AKS. */
function checkVNetSolution(value: unknown, path: string, issues: Issues): boolean {
  const obj = readObject(value, path, issues);
  if (obj === undefined) return value === undefined || value === null;
  return issues.clean(() => {
    rejectUnknown(obj, path, { known: ['type', 'deleteOrUpdateBehavior'], what: 'vNetSolution' }, issues);
    if (obj['type'] !== undefined && obj['type'] !== null) {
      const target = childPath(path, 'type');
      issues.add(
        'UnsupportedValue',
        target,
        `'${target}' is not supported for a Kubernetes cluster source: only firewall rules (publicNetworkSolution) apply.`,
      );
    }
  });
}

/** `secretStore.keyVaultId` names the vault of a keyVaultSecretReference, and only that. */
function readSecretStore(
  obj: JsonObject,
  path: string,
  issues: Issues,
  usesReference: boolean,
): { readonly keyVaultId: string } | undefined | 'invalid' {
  const storePath = childPath(path, 'secretStore');
  const idPath = childPath(storePath, 'keyVaultId');
  const store = readObject(obj['secretStore'], storePath, issues);
  if (store === undefined && obj['secretStore'] !== undefined && obj['secretStore'] !== null)
    return 'invalid';
  const ok = issues.clean(() => {
    if (store === undefined) return;
    rejectUnknown(
      store,
      storePath,
      {
        known: ['keyVaultId'],
        unsupported: {
          keyVaultSecretName: 'generated secrets are written to the Kubernetes Secret, not to Key Vault',
        },
        what: 'secretStore',
      },
      issues,
    );
  });
  const keyVaultId =
    store === undefined ? undefined : readString(store, 'keyVaultId', storePath, issues, { maxLength: 1024 });
  if (keyVaultId !== undefined) {
    const identified = identifyTarget(keyVaultId);
    if (!identified.ok || identified.target.kind !== 'keyvault') {
      issues.add(
        'InvalidValue',
        idPath,
        `'${idPath}' must be the resource id of a Key Vault (Microsoft.KeyVault/vaults).`,
      );
      return 'invalid';
    }
    if (!usesReference) {
      issues.add(
        'ConflictingProperties',
        idPath,
        `'${idPath}' is used only with a keyVaultSecretReference secretInfo (the vault the reference points into).`,
      );
      return 'invalid';
    }
  } else if (usesReference) {
    issues.add(
      'MissingProperty',
      idPath,
      `'${idPath}' is required with a keyVaultSecretReference secretInfo (the vault that holds the secret).`,
    );
    return 'invalid';
  }
  if (!ok) return 'invalid';
  return keyVaultId === undefined ? undefined : { keyVaultId };
}
