/**
 * Issues access tokens for principals of the emulated tenant: the in-process TokenCredential that
 * tests hand to SDK clients, and the managed identity endpoint both use this.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { TokenSigner } from './jwt.js';
import type { Principal } from './principals.js';

/** Token lifetime (real seconds). Long enough that no test ever sees a refresh. */
export const tokenLifetimeSeconds = 3600;

/** `https://management.azure.com/.default` → `https://management.azure.com` */
export function scopeToResource(scope: string): string {
  return scope.endsWith('/.default') ? scope.slice(0, -'/.default'.length) : scope;
}

export function issueToken(
  signer: TokenSigner,
  principal: Principal,
  tenantId: string,
  resource: string,
  nowMs = Date.now(),
): { token: string; expiresOn: number } {
  const now = Math.floor(nowMs / 1000);
  const exp = now + tokenLifetimeSeconds;
  const token = signer.sign({
    aud: resource,
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: now,
    nbf: now - 300,
    exp,
    oid: principal.principalId,
    sub: principal.principalId,
    tid: tenantId,
    appid: principal.clientId,
    appidacr: principal.managedIdentityResourceId === undefined ? '1' : '2',
    idtyp: principal.type === 'User' ? 'user' : 'app',
    ver: '1.0',
    name: principal.displayName,
    ...(principal.managedIdentityResourceId === undefined
      ? {}
      : { xms_mirid: principal.managedIdentityResourceId }),
  });
  return { token, expiresOn: exp };
}

export function createTokenCredential(
  signer: TokenSigner,
  principal: Principal,
  tenantId: string,
): TokenCredential {
  return {
    getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? (scopes[0] ?? '') : scopes;
      const { token, expiresOn } = issueToken(signer, principal, tenantId, scopeToResource(scope));
      return Promise.resolve({ token, expiresOnTimestamp: expiresOn * 1000, tokenType: 'Bearer' });
    },
  };
}
