import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { JsonObject } from '../core/json.js';

/**
 * A cluster's service-account token issuer: the OIDC discovery document and JWKS that Entra ID
 * fetches for workload identity federation, and RS256 tokens signed with the same key. The key
 * is generated on first use so that idle clusters stay cheap.
 */
export class OidcIssuer {
  private key: { privateKey: KeyObject; publicKey: KeyObject; kid: string } | undefined;

  constructor(readonly issuerUrl: string) {}

  private keys(): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
    if (this.key === undefined) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const der = publicKey.export({ type: 'spki', format: 'der' });
      const kid = createHash('sha256').update(der).digest('base64url');
      this.key = { privateKey, publicKey, kid };
    }
    return this.key;
  }

  discovery(): JsonObject {
    return {
      issuer: this.issuerUrl,
      jwks_uri: `${this.issuerUrl}openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  jwks(): JsonObject {
    const { publicKey, kid } = this.keys();
    const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
    return { keys: [{ use: 'sig', kty: jwk.kty, kid, alg: 'RS256', n: jwk.n, e: jwk.e }] };
  }

  /** A projected service account token (the `azure-identity-token` a pod would read). */
  serviceAccountToken(
    namespace: string,
    serviceAccount: string,
    audience: string,
    lifetimeSeconds = 3600,
  ): string {
    const { privateKey, kid } = this.keys();
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', kid };
    const payload = {
      aud: [audience],
      exp: now + lifetimeSeconds,
      iat: now,
      nbf: now,
      iss: this.issuerUrl,
      sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
      'kubernetes.io': { namespace, serviceaccount: { name: serviceAccount } },
    };
    const encode = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signingInput = `${encode(header)}.${encode(payload)}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }
}
