import { inspect } from 'node:util';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TerminalError } from '../../shared/errors/index.js';
import {
  createSecretCipher,
  isSealedSecret,
  secretKeyId,
  type SealedSecret,
} from '../../shared/model/secret-cipher.js';
import { SecretText } from '../../shared/model/secret-text.js';
import { sealDraft, secretPurposes } from '../../shared/model/seal-spec.js';
import { Issues } from '../../shared/model/validation/issues.js';
import { postgresSecretBody, servicePrincipalBody, validate, withValue } from './linker-fixtures.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const plain = 'correct horse battery staple';

function flipSecondToLast(sealed: SealedSecret): SealedSecret {
  const at = sealed.length - 2;
  const replacement = sealed[at] === 'A' ? 'B' : 'A';
  return `${sealed.slice(0, at)}${replacement}${sealed.slice(at + 1)}` as SealedSecret;
}

describe('SecretText', () => {
  it.each([
    ['JSON', (s: SecretText) => JSON.stringify({ value: s })],
    ['string conversion', (s: SecretText) => `${s.toString()}`],
    ['util.inspect (console.log)', (s: SecretText) => inspect({ nested: { s } })],
  ])('hides its value from %s', (_name, show) => {
    const text = show(new SecretText(plain));
    expect(text).not.toContain('horse');
    expect(text).toContain('***');
  });

  it('gives its value only through reveal()', () => {
    expect(new SecretText(plain).reveal()).toBe(plain);
  });
});

describe('the AES-256-GCM cipher', () => {
  const cipher = createSecretCipher({ current: keyA });

  it('seals into the versioned form with its key id, and opens back', () => {
    const sealed = cipher.seal(new SecretText(plain), 'p');
    expect(sealed).toMatch(new RegExp(`^enc:v1:${secretKeyId(keyA)}:`));
    expect(isSealedSecret(sealed)).toBe(true);
    expect(sealed).not.toContain('horse');
    expect(cipher.open(sealed, 'p').reveal()).toBe(plain);
  });

  it('uses a fresh IV each time, so equal secrets do not look equal', () => {
    expect(cipher.seal(new SecretText(plain), 'p')).not.toBe(cipher.seal(new SecretText(plain), 'p'));
  });

  it.each([
    [
      'another purpose (a value moved to another field)',
      (s: SealedSecret) => cipher.open(s, 'q'),
      'SecretUnreadable',
    ],
    [
      'a flipped ciphertext character',
      (s: SealedSecret) => cipher.open(flipSecondToLast(s), 'p'),
      'SecretUnreadable',
    ],
    ['a value that is not sealed', () => cipher.open('plain text' as SealedSecret, 'p'), 'SecretUnreadable'],
    [
      'a key that is not configured',
      (s: SealedSecret) => createSecretCipher({ current: keyB }).open(s, 'p'),
      'SecretKeyUnavailable',
    ],
  ])('refuses to open %s', (_name, open, reason) => {
    const sealed = cipher.seal(new SecretText(plain), 'p');
    let thrown: unknown;
    try {
      open(sealed);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TerminalError);
    expect((thrown as TerminalError).reason).toBe(reason);
    expect(String((thrown as Error).message)).not.toContain('horse');
  });

  it('opens values of a previous key after rotation and says they need resealing', () => {
    const old = createSecretCipher({ current: keyA }).seal(new SecretText(plain), 'p');
    const rotated = createSecretCipher({ current: keyB, previous: [keyA] });
    expect(rotated.open(old, 'p').reveal()).toBe(plain);
    expect(rotated.needsReseal(old)).toBe(true);
    expect(rotated.needsReseal(rotated.seal(new SecretText(plain), 'p'))).toBe(false);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => createSecretCipher({ current: randomBytes(16) })).toThrow(/32 bytes/);
  });
});

describe('sealing a validated draft', () => {
  const cipher = createSecretCipher({ current: keyA });

  function seal(
    body: Record<string, unknown>,
    previous?: Parameters<typeof sealDraft>[1]['previous'],
    withCipher = true,
  ) {
    const draft = validate(body).draft;
    if (draft === undefined) throw new Error('fixture is invalid');
    const issues = new Issues();
    const spec = sealDraft(
      draft,
      { cipher: withCipher ? cipher : undefined, previous, path: 'properties' },
      issues,
    );
    return { spec, issues: issues.list };
  }

  it('seals a raw database password so that only the cipher can read it', () => {
    const { spec } = seal(postgresSecretBody(plain));
    const info = spec?.authInfo.authType === 'secret' ? spec.authInfo.secretInfo : undefined;
    expect(JSON.stringify(spec)).not.toContain('horse');
    expect(
      info?.secretType === 'rawValue' && cipher.open(info.value, secretPurposes.secretInfoValue).reveal(),
    ).toBe(plain);
  });

  it('seals a service principal secret under its own purpose', () => {
    const { spec } = seal(servicePrincipalBody(plain));
    const secret = spec?.authInfo.authType === 'servicePrincipalSecret' ? spec.authInfo.secret : undefined;
    expect(secret !== undefined && cipher.open(secret, secretPurposes.servicePrincipalSecret).reveal()).toBe(
      plain,
    );
  });

  it.each([
    ['a raw value', postgresSecretBody(plain), 'properties.authInfo.secretInfo.value'],
    ['a service principal secret', servicePrincipalBody(plain), 'properties.authInfo.secret'],
  ])(
    'refuses %s when no key is configured, naming the setting and the Key Vault alternative',
    (_name, body, target) => {
      const { spec, issues } = seal(body, undefined, false);
      expect(spec).toBeUndefined();
      expect(issues).toEqual([expect.objectContaining({ code: 'SecretEncryptionNotConfigured', target })]);
      expect(issues[0]?.message).toMatch(/CONNECTOR_SECRET_KEY.*keyVaultSecretReference/);
    },
  );

  it('keeps the stored value when an update leaves the secret out', () => {
    const first = seal(postgresSecretBody(plain)).spec;
    const second = seal(
      withValue(postgresSecretBody(), 'properties.authInfo.secretInfo.value', undefined),
      first,
    ).spec;
    expect(second?.authInfo).toEqual(first?.authInfo);
  });

  it('does not keep a service principal secret for another client id', () => {
    const first = seal(servicePrincipalBody(plain)).spec;
    let body = withValue(servicePrincipalBody(), 'properties.authInfo.secret', undefined);
    body = withValue(body, 'properties.authInfo.clientId', '99999999-2222-3333-4444-555555555555');
    expect(seal(body, first).issues).toEqual([
      expect.objectContaining({ code: 'MissingProperty', target: 'properties.authInfo.secret' }),
    ]);
  });

  it('needs the secret on create', () => {
    const body = withValue(postgresSecretBody(), 'properties.authInfo.secretInfo.value', undefined);
    expect(seal(body).issues).toEqual([
      expect.objectContaining({ code: 'MissingProperty', target: 'properties.authInfo.secretInfo.value' }),
    ]);
  });
});
