/**
 * Every app setting the product reads, parsed and validated in one place. Triggers call
 * `loadSettings(process.env)` once per process (lazily) and pass the result down.
 */

export interface Settings {
  /** Storage for tables and queues: a connection string, or an identity-based service URI set. */
  readonly storage: StorageSettings;
  /** Azure Resource Manager endpoint; `https://management.azure.com` in Azure. */
  readonly armEndpoint: string;
  /** Subscriptions the timer sweeps even when no connection lives there yet (templates). */
  readonly subscriptionIds: readonly string[];
  /** The function app's public base URL, used in Azure-AsyncOperation URLs and webhook registration. */
  readonly publicBaseUrl: string | undefined;
  /** PEM CA bundle for the admission webhook (only when the app's certificate is not publicly trusted). */
  readonly webhookCaBundle: string | undefined;
  /** 32-byte key (base64) that encrypts stored secret values at rest. */
  readonly secretEncryptionKey: Buffer | undefined;
  /** Earlier keys, still accepted for decryption while values are re-sealed (key rotation). */
  readonly previousSecretEncryptionKeys: readonly Buffer[];
}

export type StorageSettings =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | {
      readonly kind: 'identity';
      readonly tableServiceUri: string;
      readonly queueServiceUri: string;
      readonly clientId: string | undefined;
    };

export class SettingsError extends Error {
  constructor(
    readonly setting: string,
    why: string,
  ) {
    super(`App setting ${setting}: ${why}`);
    this.name = 'SettingsError';
  }
}

export const settingNames = {
  storage: 'AzureWebJobsStorage',
  armEndpoint: 'CONNECTOR_ARM_ENDPOINT',
  subscriptionIds: 'CONNECTOR_SUBSCRIPTION_IDS',
  publicBaseUrl: 'CONNECTOR_PUBLIC_BASE_URL',
  webhookCaBundle: 'CONNECTOR_WEBHOOK_CA_BUNDLE',
  secretEncryptionKey: 'CONNECTOR_SECRET_KEY',
  previousSecretEncryptionKeys: 'CONNECTOR_SECRET_KEY_PREVIOUS',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function url(env: Env, name: string): string | undefined {
  const value = nonEmpty(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new SettingsError(name, 'is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new SettingsError(name, 'must be an http(s) URL');
  }
  return value.replace(/\/+$/, '');
}

function storageSettings(env: Env): StorageSettings {
  const name = settingNames.storage;
  const connectionString = nonEmpty(env, name);
  if (connectionString !== undefined) return { kind: 'connectionString', connectionString };
  const accountName = nonEmpty(env, `${name}__accountName`);
  const tableServiceUri =
    url(env, `${name}__tableServiceUri`) ??
    (accountName === undefined ? undefined : `https://${accountName}.table.core.windows.net`);
  const queueServiceUri =
    url(env, `${name}__queueServiceUri`) ??
    (accountName === undefined ? undefined : `https://${accountName}.queue.core.windows.net`);
  if (tableServiceUri === undefined || queueServiceUri === undefined) {
    throw new SettingsError(
      name,
      `is not set: give a connection string, or ${name}__accountName (or ${name}__tableServiceUri and ${name}__queueServiceUri) for an identity-based connection`,
    );
  }
  return { kind: 'identity', tableServiceUri, queueServiceUri, clientId: nonEmpty(env, `${name}__clientId`) };
}

function aesKey(name: string, value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new SettingsError(name, 'must be 32 bytes, base64-encoded');
  return key;
}

function encryptionKey(env: Env): Buffer | undefined {
  const value = nonEmpty(env, settingNames.secretEncryptionKey);
  return value === undefined ? undefined : aesKey(settingNames.secretEncryptionKey, value);
}

function previousEncryptionKeys(env: Env): Buffer[] {
  const value = nonEmpty(env, settingNames.previousSecretEncryptionKeys);
  if (value === undefined) return [];
  return value
    .split(/[\s,;]+/)
    .filter((k) => k !== '')
    .map((k) => aesKey(settingNames.previousSecretEncryptionKeys, k));
}

export function loadSettings(env: Env): Settings {
  const subscriptions = nonEmpty(env, settingNames.subscriptionIds);
  return {
    storage: storageSettings(env),
    armEndpoint: url(env, settingNames.armEndpoint) ?? 'https://management.azure.com',
    subscriptionIds:
      subscriptions === undefined ? [] : subscriptions.split(/[\s,;]+/).filter((s) => s !== ''),
    publicBaseUrl: url(env, settingNames.publicBaseUrl),
    webhookCaBundle: nonEmpty(env, settingNames.webhookCaBundle),
    secretEncryptionKey: encryptionKey(env),
    previousSecretEncryptionKeys: previousEncryptionKeys(env),
  };
}
