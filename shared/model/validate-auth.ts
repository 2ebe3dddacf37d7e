/**
 * `properties.authInfo` for a Kubernetes source. On AKS, workload identity is ServiceLinker's
 * `userAssignedIdentity` with the identity's clientId and subscriptionId (what
 * `az aks connection create --workload-identity` sends); Key Vault through the CSI driver uses the
 * add-on identity and carries no clientId.
 */
import type { AuthType, TargetRef } from '../targets/kinds.js';
import {
  authModes,
  deleteOrUpdateBehaviors,
  type AuthInfoSpec,
  type AuthMode,
  type SecretInfoSpec,
  type SecretInput,
} from './linker-spec.js';
import { guidPattern, resolveRoles } from './roles.js';
import { SecretText } from './secret-text.js';
import { childPath, type Issues } from './validation/issues.js';
import {
  readEnum,
  readObject,
  readString,
  readStringList,
  rejectUnknown,
  type JsonObject,
} from './validation/readers.js';

/** ServiceLinker auth types that have no meaning for a Kubernetes cluster source. */
const notForKubernetes: Readonly<Record<string, string>> = {
  systemAssignedIdentity:
    'a cluster has no system-assigned identity for workloads; use userAssignedIdentity (workload identity)',
  servicePrincipalCertificate: 'use servicePrincipalSecret or userAssignedIdentity (workload identity)',
  accessKey: 'use secret (the keys are fetched from the target)',
  userAccount: 'it connects a developer account, not a cluster',
  easyAuthMicrosoftEntraID: 'it configures App Service authentication, not a cluster',
};

const databaseKinds = new Set(['sql', 'postgres-flexible', 'mysql-flexible']);
const supported: readonly AuthType[] = [
  'secret',
  'userAssignedIdentity',
  'servicePrincipalSecret',
  'serviceAccountToken',
];
const guid = { pattern: guidPattern, patternHint: 'a GUID' };
const userNameWhy = 'database Entra users are not created for Kubernetes sources';

export interface AuthContext {
  readonly target: TargetRef | undefined;
  readonly csi: boolean;
}

export function validateAuthInfo(
  value: unknown,
  path: string,
  issues: Issues,
  ctx: AuthContext,
): AuthInfoSpec<SecretInput> | undefined {
  const obj = readObject(value, path, issues);
  if (obj === undefined) {
    if (value !== undefined && value !== null) return undefined;
    if (ctx.csi)
      return {
        authType: 'userAssignedIdentity',
        authMode: 'optInAllAuth',
        roles: [],
        deleteOrUpdateBehavior: 'Default',
      };
    const allowed = ctx.target === undefined ? supported : ctx.target.allowedAuthTypes;
    issues.add(
      'MissingProperty',
      path,
      `'${path}' is required; this target allows authType ${allowed.join(', ')}.`,
    );
    return undefined;
  }
  const authType = readAuthType(obj, path, issues, ctx);
  const authMode = readEnum(obj, 'authMode', path, issues, authModes) ?? 'optInAllAuth';
  switch (authType) {
    case 'secret':
      return readSecretAuth(obj, path, issues, ctx, authMode);
    case 'userAssignedIdentity':
      return readUserAssignedIdentity(obj, path, issues, ctx, authMode);
    case 'servicePrincipalSecret':
      return readServicePrincipal(obj, path, issues, authMode);
    case 'serviceAccountToken':
      return readServiceAccountToken(obj, path, issues, authMode);
    case undefined:
      return undefined;
  }
}

function readAuthType(obj: JsonObject, path: string, issues: Issues, ctx: AuthContext): AuthType | undefined {
  const target = childPath(path, 'authType');
  const value = readString(obj, 'authType', path, issues, { required: true });
  if (value === undefined) return undefined;
  if (value.toLowerCase() === 'workloadidentity') {
    issues.add(
      'InvalidValue',
      target,
      `'${target}' workloadIdentity is spelled 'userAssignedIdentity' with the identity's clientId and subscriptionId in the linker API.`,
    );
    return undefined;
  }
  const why = notForKubernetes[value];
  if (why !== undefined) {
    issues.add(
      'UnsupportedValue',
      target,
      `'${target}' ${value} is not supported for a Kubernetes cluster source: ${why}.`,
    );
    return undefined;
  }
  if (!(supported as readonly string[]).includes(value)) {
    issues.add(
      'InvalidValue',
      target,
      `'${target}' must be one of: ${supported.join(', ')}; got '${value.slice(0, 60)}'.`,
    );
    return undefined;
  }
  const authType = value as AuthType;
  if (ctx.csi && authType !== 'userAssignedIdentity') {
    issues.add(
      'ConflictingProperties',
      target,
      `'${target}' must be userAssignedIdentity (or authInfo left out) when the Key Vault is connected through the CSI driver, which uses the add-on identity.`,
    );
    return undefined;
  }
  if (ctx.target !== undefined && !ctx.target.allowedAuthTypes.includes(authType)) {
    issues.add(
      'UnsupportedValue',
      target,
      `'${target}' ${authType} is not supported for ${ctx.target.kind} from a Kubernetes cluster; allowed: ${ctx.target.allowedAuthTypes.join(', ')}.`,
    );
    return undefined;
  }
  return authType;
}

function readIdentityCommon(obj: JsonObject, path: string, issues: Issues) {
  const rolesPath = childPath(path, 'roles');
  const roleNames = readStringList(obj, 'roles', path, issues, { maxItems: 20, item: { maxLength: 256 } });
  const roles = resolveRoles(roleNames, rolesPath, issues);
  const deleteOrUpdateBehavior =
    readEnum(obj, 'deleteOrUpdateBehavior', path, issues, deleteOrUpdateBehaviors) ?? 'Default';
  return { roles, deleteOrUpdateBehavior };
}

function rejectRolesWhenOptedOut(obj: JsonObject, path: string, issues: Issues, authMode: AuthMode): void {
  if (authMode === 'optOutAllAuth' && Array.isArray(obj['roles']) && obj['roles'].length > 0) {
    const target = childPath(path, 'roles');
    issues.add(
      'ConflictingProperties',
      target,
      `'${target}' cannot be given with authMode optOutAllAuth, which assigns no roles.`,
    );
  }
}

function readUserAssignedIdentity(
  obj: JsonObject,
  path: string,
  issues: Issues,
  ctx: AuthContext,
  authMode: AuthMode,
): AuthInfoSpec<SecretInput> | undefined {
  const ok = issues.clean(() => {
    rejectUnknown(
      obj,
      path,
      {
        known: ['authType', 'authMode', 'clientId', 'subscriptionId', 'roles', 'deleteOrUpdateBehavior'],
        unsupported: { userName: userNameWhy },
        what: 'a userAssignedIdentity authInfo',
      },
      issues,
    );
    rejectRolesWhenOptedOut(obj, path, issues, authMode);
  });
  const common = readIdentityCommon(obj, path, issues);
  if (ctx.csi) {
    for (const key of ['clientId', 'subscriptionId']) {
      if (obj[key] !== undefined && obj[key] !== null) {
        const target = childPath(path, key);
        issues.add(
          'ConflictingProperties',
          target,
          `'${target}' must be left out: through the CSI driver the cluster's azureKeyvaultSecretsProvider add-on identity is used.`,
        );
      }
    }
    return ok ? { authType: 'userAssignedIdentity', authMode, ...common } : undefined;
  }
  const clientId = readString(obj, 'clientId', path, issues, { required: true, ...guid });
  const subscriptionId = readString(obj, 'subscriptionId', path, issues, { required: true, ...guid });
  if (!ok || clientId === undefined || subscriptionId === undefined) return undefined;
  return {
    authType: 'userAssignedIdentity',
    authMode,
    clientId: clientId.toLowerCase(),
    subscriptionId: subscriptionId.toLowerCase(),
    ...common,
  };
}

/** Nothing to give: the connector creates the ServiceAccount whose token the broker accepts. */
function readServiceAccountToken(
  obj: JsonObject,
  path: string,
  issues: Issues,
  authMode: AuthMode,
): AuthInfoSpec<SecretInput> | undefined {
  const noAzureIdentity =
    'the broker authenticates Kubernetes service account tokens; no Azure identity or role is involved';
  const ok = issues.clean(() =>
    rejectUnknown(
      obj,
      path,
      {
        known: ['authType'],
        unsupported: Object.fromEntries(
          ['authMode', 'clientId', 'subscriptionId', 'principalId', 'roles', 'deleteOrUpdateBehavior'].map(
            (k) => [k, noAzureIdentity],
          ),
        ),
        what: 'a serviceAccountToken authInfo',
      },
      issues,
    ),
  );
  return ok ? { authType: 'serviceAccountToken', authMode } : undefined;
}

function readServicePrincipal(
  obj: JsonObject,
  path: string,
  issues: Issues,
  authMode: AuthMode,
): AuthInfoSpec<SecretInput> | undefined {
  const ok = issues.clean(() => {
    rejectUnknown(
      obj,
      path,
      {
        known: [
          'authType',
          'authMode',
          'clientId',
          'principalId',
          'secret',
          'roles',
          'deleteOrUpdateBehavior',
        ],
        unsupported: { userName: userNameWhy },
        what: 'a servicePrincipalSecret authInfo',
      },
      issues,
    );
    rejectRolesWhenOptedOut(obj, path, issues, authMode);
  });
  const clientId = readString(obj, 'clientId', path, issues, { required: true, ...guid });
  const principalId = readString(obj, 'principalId', path, issues, { required: true, ...guid });
  const secretText = readString(obj, 'secret', path, issues, { maxLength: 4096, secret: true });
  const secretOk = obj['secret'] === undefined || obj['secret'] === null || secretText !== undefined;
  const common = readIdentityCommon(obj, path, issues);
  if (!ok || clientId === undefined || principalId === undefined || !secretOk) return undefined;
  return {
    authType: 'servicePrincipalSecret',
    authMode,
    clientId: clientId.toLowerCase(),
    principalId: principalId.toLowerCase(),
    // Left out on an update (GET never returns it), the stored secret is kept; see sealDraft.
    secret: secretText === undefined ? { kind: 'keep' } : { kind: 'new', text: new SecretText(secretText) },
    ...common,
  };
}

function readSecretAuth(
  obj: JsonObject,
  path: string,
  issues: Issues,
  ctx: AuthContext,
  authMode: AuthMode,
): AuthInfoSpec<SecretInput> | undefined {
  const isDatabase = ctx.target !== undefined && databaseKinds.has(ctx.target.kind);
  const fetched = ctx.target !== undefined && !isDatabase;
  const ok = issues.clean(() => {
    rejectUnknown(
      obj,
      path,
      { known: ['authType', 'authMode', 'name', 'secretInfo'], what: 'a secret authInfo' },
      issues,
    );
    for (const key of fetched ? ['name', 'secretInfo'] : []) {
      if (obj[key] === undefined || obj[key] === null) continue;
      const target = childPath(path, key);
      issues.add(
        'ConflictingProperties',
        target,
        `'${target}' must be left out: the keys of ${ctx.target?.kind ?? 'this target'} are fetched from the target; user names and passwords apply to sql, postgres-flexible and mysql-flexible.`,
      );
    }
  });
  if (fetched) return ok ? { authType: 'secret', authMode } : undefined;
  const name = readString(obj, 'name', path, issues, {
    required: isDatabase,
    maxLength: 128,
    pattern: /^\S+$/,
    patternHint: 'a user name without spaces',
  });
  const secretInfo = readSecretInfo(obj['secretInfo'], childPath(path, 'secretInfo'), issues, isDatabase);
  if (!ok || secretInfo === 'invalid' || (isDatabase && name === undefined)) return undefined;
  return {
    authType: 'secret',
    authMode,
    ...(name === undefined ? {} : { name }),
    ...(secretInfo === undefined ? {} : { secretInfo }),
  };
}

const secretTypes = ['rawValue', 'keyVaultSecretReference', 'keyVaultSecretUri'] as const;
const keyVaultSecretUriPattern =
  /^https:\/\/[a-zA-Z0-9-]{3,24}\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net|microsoftazure\.de)(:443)?\/secrets\/[0-9a-zA-Z-]{1,127}(\/[0-9a-fA-F]{32})?\/?$/;

function readSecretInfo(
  value: unknown,
  path: string,
  issues: Issues,
  required: boolean,
): SecretInfoSpec<SecretInput> | undefined | 'invalid' {
  const obj = readObject(value, path, issues, required);
  if (obj === undefined) return (value === undefined || value === null) && !required ? undefined : 'invalid';
  const secretType = readEnum(obj, 'secretType', path, issues, secretTypes, true);
  let info: SecretInfoSpec<SecretInput> | undefined;
  const ok = issues.clean(() => {
    switch (secretType) {
      case 'rawValue': {
        rejectUnknown(obj, path, { known: ['secretType', 'value'], what: 'a rawValue secretInfo' }, issues);
        const text = readString(obj, 'value', path, issues, { maxLength: 4096, secret: true });
        if (text !== undefined || obj['value'] === undefined || obj['value'] === null) {
          // Left out on an update (GET never returns it), the stored value is kept; see sealDraft.
          info = {
            secretType,
            value: text === undefined ? { kind: 'keep' } : { kind: 'new', text: new SecretText(text) },
          };
        }
        return;
      }
      case 'keyVaultSecretReference': {
        rejectUnknown(
          obj,
          path,
          { known: ['secretType', 'name', 'version'], what: 'a keyVaultSecretReference secretInfo' },
          issues,
        );
        const name = readString(obj, 'name', path, issues, {
          required: true,
          pattern: /^[0-9a-zA-Z-]{1,127}$/,
          patternHint: 'a Key Vault secret name (1-127 letters, digits or hyphens)',
        });
        const version = readString(obj, 'version', path, issues, {
          pattern: /^[0-9a-fA-F]{32}$/,
          patternHint: 'a Key Vault secret version (32 hex digits)',
        });
        if (name !== undefined)
          info = version === undefined ? { secretType, name } : { secretType, name, version };
        return;
      }
      case 'keyVaultSecretUri': {
        rejectUnknown(
          obj,
          path,
          { known: ['secretType', 'value'], what: 'a keyVaultSecretUri secretInfo' },
          issues,
        );
        const uri = readString(obj, 'value', path, issues, {
          required: true,
          pattern: keyVaultSecretUriPattern,
          patternHint:
            "a Key Vault secret URI such as 'https://<vault>.vault.azure.net/secrets/<name>[/<version>]'",
        });
        if (uri !== undefined) info = { secretType, value: uri };
        return;
      }
      case undefined:
        return;
    }
  });
  return ok && info !== undefined ? info : 'invalid';
}
