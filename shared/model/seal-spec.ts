/**
 * Turns a validated draft into the stored spec: new secret values are sealed with the configured
 * key; a secret left out of an update keeps the stored sealed value (GET never returns secrets, so
 * a GET-edit-PUT round trip must not wipe them). Without a key, a raw secret is refused.
 */
import { settingNames } from '../runtime/settings.js';
import type { AuthInfoSpec, LinkerDraft, LinkerSpec, SecretInput } from './linker-spec.js';
import type { SealedSecret, SecretCipher } from './secret-cipher.js';
import { childPath, type Issues } from './validation/issues.js';

/** What a sealed value is bound to (its field, relative to the linker properties). */
export const secretPurposes = {
  secretInfoValue: 'authInfo.secretInfo.value',
  servicePrincipalSecret: 'authInfo.secret',
} as const;

export interface SealContext {
  readonly cipher: SecretCipher | undefined;
  /** The stored spec this draft replaces, if any. */
  readonly previous: LinkerSpec | undefined;
  /** Where the linker properties sit in the body (`properties`). */
  readonly path: string;
}

export function sealDraft(draft: LinkerDraft, ctx: SealContext, issues: Issues): LinkerSpec | undefined {
  const authInfo = sealAuth(draft.authInfo, ctx, issues);
  return authInfo === undefined ? undefined : { ...draft, authInfo };
}

function sealAuth(
  auth: AuthInfoSpec<SecretInput>,
  ctx: SealContext,
  issues: Issues,
): AuthInfoSpec<SealedSecret> | undefined {
  const authPath = childPath(ctx.path, 'authInfo');
  const before = ctx.previous?.authInfo;
  switch (auth.authType) {
    case 'userAssignedIdentity':
    case 'serviceAccountToken':
      return auth;
    case 'servicePrincipalSecret': {
      const kept =
        before?.authType === 'servicePrincipalSecret' && before.clientId === auth.clientId
          ? before.secret
          : undefined;
      const secret = seal(
        auth.secret,
        kept,
        secretPurposes.servicePrincipalSecret,
        childPath(authPath, 'secret'),
        ctx,
        issues,
      );
      return secret === undefined ? undefined : { ...auth, secret };
    }
    case 'secret': {
      const info = auth.secretInfo;
      if (info?.secretType !== 'rawValue') return { ...auth, secretInfo: info };
      const beforeInfo = before?.authType === 'secret' ? before.secretInfo : undefined;
      const kept = beforeInfo?.secretType === 'rawValue' ? beforeInfo.value : undefined;
      const valuePath = childPath(childPath(authPath, 'secretInfo'), 'value');
      const value = seal(info.value, kept, secretPurposes.secretInfoValue, valuePath, ctx, issues);
      return value === undefined ? undefined : { ...auth, secretInfo: { secretType: 'rawValue', value } };
    }
  }
}

function seal(
  input: SecretInput,
  kept: SealedSecret | undefined,
  purpose: string,
  target: string,
  ctx: SealContext,
  issues: Issues,
): SealedSecret | undefined {
  if (input.kind === 'keep') {
    if (kept !== undefined) return kept;
    issues.add(
      'MissingProperty',
      target,
      `'${target}' is required (a stored value is kept only when an existing connection with the same auth settings is updated).`,
    );
    return undefined;
  }
  if (ctx.cipher === undefined) {
    issues.add(
      'SecretEncryptionNotConfigured',
      target,
      `'${target}' cannot be stored: no encryption key is configured. Set the ${settingNames.secretEncryptionKey} app setting (32 random bytes, base64) or reference the secret in Key Vault (secretType keyVaultSecretReference or keyVaultSecretUri).`,
    );
    return undefined;
  }
  return ctx.cipher.seal(input.text, purpose);
}
