import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../shared/runtime/settings.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const base = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

describe('loadSettings', () => {
  it('reads a connection string and defaults the ARM endpoint', () => {
    const s = loadSettings(base);
    expect(s.storage).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' });
    expect(s.armEndpoint).toBe('https://management.azure.com');
    expect(s.previousSecretEncryptionKeys).toEqual([]);
  });

  it('derives identity-based storage URIs from the account name', () => {
    const s = loadSettings({ AzureWebJobsStorage__accountName: 'st1', AzureWebJobsStorage__clientId: 'c1' });
    expect(s.storage).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://st1.table.core.windows.net',
      queueServiceUri: 'https://st1.queue.core.windows.net',
      clientId: 'c1',
    });
  });

  it('reads the current and previous secret keys for rotation', () => {
    const s = loadSettings({
      ...base,
      CONNECTOR_SECRET_KEY: key(1),
      CONNECTOR_SECRET_KEY_PREVIOUS: `${key(2)}, ${key(3)}`,
    });
    expect(s.secretEncryptionKey?.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(s.previousSecretEncryptionKeys.map((k) => k[0])).toEqual([2, 3]);
  });

  it('splits subscription ids on commas and whitespace and trims a trailing slash from URLs', () => {
    const s = loadSettings({
      ...base,
      CONNECTOR_SUBSCRIPTION_IDS: 'a, b;c',
      CONNECTOR_ARM_ENDPOINT: 'https://arm.local/',
    });
    expect(s.subscriptionIds).toEqual(['a', 'b', 'c']);
    expect(s.armEndpoint).toBe('https://arm.local');
  });

  it.each([
    ['storage is missing', {}, 'AzureWebJobsStorage'],
    ['the key is too short', { ...base, CONNECTOR_SECRET_KEY: 'c2hvcnQ=' }, 'CONNECTOR_SECRET_KEY'],
    [
      'a previous key is too short',
      { ...base, CONNECTOR_SECRET_KEY_PREVIOUS: 'c2hvcnQ=' },
      'CONNECTOR_SECRET_KEY_PREVIOUS',
    ],
    [
      'the ARM endpoint is not a URL',
      { ...base, CONNECTOR_ARM_ENDPOINT: 'not a url' },
      'CONNECTOR_ARM_ENDPOINT',
    ],
    [
      'the public URL is not http(s)',
      { ...base, CONNECTOR_PUBLIC_BASE_URL: 'ftp://x' },
      'CONNECTOR_PUBLIC_BASE_URL',
    ],
  ])('refuses settings where %s, naming the setting', (_name, env, setting) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(setting);
  });

  it('never puts a key value in an error message', () => {
    const bad = 'AAAA' + 'x'.repeat(20);
    expect(() => loadSettings({ ...base, CONNECTOR_SECRET_KEY: bad })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(bad) as string }),
    );
  });
});
