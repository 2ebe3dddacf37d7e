/**
 * Secret values at rest: AES-256-GCM with a 96-bit random IV, sealed into one string
 * `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts). The key id is derived from the key
 * itself, so a value sealed under an old key can still be opened while that key is configured as
 * a previous key (rotation, ADR 0032). The additional authenticated data binds a sealed value to
 * the field it belongs to (`purpose`), so a value cannot be moved into another field unnoticed.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { TerminalError } from '../errors/index.js';
import { SecretText } from './secret-text.js';

export type SealedSecret = string & { readonly __brand: 'SealedSecret' };

export interface SecretCipher {
  /** The id of the key that `seal` uses. */
  readonly keyId: string;
  seal(secret: SecretText, purpose: string): SealedSecret;
  /** Throws a TerminalError (`SecretKeyUnavailable`, `SecretUnreadable`) when it cannot. */
  open(sealed: SealedSecret, purpose: string): SecretText;
  /** True when the value was sealed under another key than the current one. */
  needsReseal(sealed: SealedSecret): boolean;
}

export interface SecretKeyring {
  readonly current: Buffer;
  /** Keys that may still have sealed stored values; used only to open. */
  readonly previous?: readonly Buffer[];
}

const prefix = 'enc:v1:';
const sealedPattern = /^enc:v1:([0-9a-f]{12}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

export function isSealedSecret(value: unknown): value is SealedSecret {
  return typeof value === 'string' && sealedPattern.test(value);
}

/** A short, stable id of a key; it reveals nothing usable about the key. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256')
    .update('connector-functions/secret-key-id/')
    .update(key)
    .digest('hex')
    .slice(0, 12);
}

function aad(keyId: string, purpose: string): Buffer {
  return Buffer.from(`connector-functions/${prefix}${keyId}/${purpose}`, 'utf8');
}

export function createSecretCipher(keyring: SecretKeyring): SecretCipher {
  const keys = new Map<string, Buffer>();
  for (const key of [keyring.current, ...(keyring.previous ?? [])]) {
    if (key.length !== 32) throw new Error('createSecretCipher: every key must be 32 bytes (AES-256)');
    keys.set(secretKeyId(key), key);
  }
  const keyId = secretKeyId(keyring.current);

  return {
    keyId,
    seal(secret, purpose) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyring.current, iv);
      cipher.setAAD(aad(keyId, purpose));
      const body = Buffer.concat([cipher.update(secret.reveal(), 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${prefix}${keyId}:${iv.toString('base64url')}:${tag.toString('base64url')}:${body.toString('base64url')}` as SealedSecret;
    },
    open(sealed, purpose) {
      const match = sealedPattern.exec(sealed);
      if (match === null) {
        throw new TerminalError('A stored secret value is not in the expected sealed form.', {
          reason: 'SecretUnreadable',
          mitigation: 'Save the connection again with its secret value.',
        });
      }
      const [, id = '', iv = '', tag = '', body = ''] = match;
      const key = keys.get(id);
      if (key === undefined) {
        throw new TerminalError(
          `A stored secret value was sealed with key '${id}', which is not configured.`,
          {
            reason: 'SecretKeyUnavailable',
            mitigation:
              'Configure that key again (as a previous key) or save the connection again with its secret value.',
          },
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(aad(id, purpose));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
        return new SecretText(text.toString('utf8'));
      } catch {
        throw new TerminalError('A stored secret value failed its integrity check.', {
          reason: 'SecretUnreadable',
          mitigation: 'Save the connection again with its secret value.',
        });
      }
    },
    needsReseal(sealed) {
      return sealedPattern.exec(sealed)?.[1] !== keyId;
    },
  };
}
