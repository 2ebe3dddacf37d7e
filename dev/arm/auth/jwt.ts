/**
 * Access tokens shaped like Microsoft Entra v1 tokens for ARM (aud, iss, oid, tid, appid, exp), signed
 * with a key generated per emulator (HS256) so that only tokens this emulator issued are accepted.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly oid: string;
  readonly sub: string;
  readonly tid: string;
  readonly appid: string;
  readonly appidacr: string;
  readonly idtyp: 'app' | 'user';
  readonly ver: '1.0';
  readonly name?: string;
  /** Managed identities carry their ARM resource id. */
  readonly xms_mirid?: string;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export class TokenSigner {
  private readonly key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.key = key;
  }

  sign(claims: TokenClaims): string {
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'arm-emulator' }));
    const payload = b64url(JSON.stringify(claims));
    const signature = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /** The claims when the signature is ours, else undefined. Expiry and audience are checked by the caller. */
  verify(token: string): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
      return typeof claims.oid === 'string' && typeof claims.exp === 'number' ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Reads the claims of any JWT without verifying it (tests inspect tokens this way). */
export function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
