/**
 * Host keys, in the shape `az functionapp keys list` prints them:
 * `{ "masterKey", "functionKeys": { "default" }, "systemKeys": { "eventgrid_extension" } }`, plus
 * optional per-function keys `{ "functions": { "<name>": { "<keyName>": "<value>" } } }`. Kept in a
 * git-ignored file (default `<appDir>/.local/host-keys.json`, mode 0600), created with random
 * values when missing, completed when a key is missing, and never logged.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface HostKeys {
  readonly masterKey: string;
  readonly functionKeys: Readonly<Record<string, string>>;
  readonly systemKeys: Readonly<Record<string, string>>;
  readonly functions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export type AuthLevel = 'anonymous' | 'function' | 'admin' | 'system';

export class HostKeysError extends Error {
  constructor(path: string, why: string) {
    super(`Host keys file ${path}: ${why}`);
    this.name = 'HostKeysError';
  }
}

export const eventGridSystemKey = 'eventgrid_extension';

function newKey(): string {
  return randomBytes(32).toString('base64url');
}

function stringMap(value: unknown, path: string, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HostKeysError(path, `"${field}" must be an object of key name to key value`);
  }
  const out: Record<string, string> = {};
  for (const [name, key] of Object.entries(value as Record<string, unknown>)) {
    if (typeof key !== 'string' || key === '')
      throw new HostKeysError(path, `"${field}.${name}" must be a string`);
    out[name] = key;
  }
  return out;
}

function parseKeys(text: string, path: string): { keys: HostKeys; completed: boolean } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HostKeysError(path, 'is not valid JSON');
  }
  const root = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const master = root['masterKey'];
  if (master !== undefined && (typeof master !== 'string' || master === '')) {
    throw new HostKeysError(path, '"masterKey" must be a non-empty string');
  }
  const functionKeys = stringMap(root['functionKeys'], path, 'functionKeys');
  const systemKeys = stringMap(root['systemKeys'], path, 'systemKeys');
  const functions: Record<string, Record<string, string>> = {};
  const rawFunctions = root['functions'];
  if (typeof rawFunctions === 'object' && rawFunctions !== null) {
    for (const [name, keys] of Object.entries(rawFunctions as Record<string, unknown>)) {
      functions[name] = stringMap(keys, path, `functions.${name}`);
    }
  }
  const completed = master === undefined || !functionKeys['default'] || !systemKeys[eventGridSystemKey];
  functionKeys['default'] ??= newKey();
  systemKeys[eventGridSystemKey] ??= newKey();
  return { keys: { masterKey: master ?? newKey(), functionKeys, systemKeys, functions }, completed };
}

/** Reads the keys file, creating it (or completing missing keys) with random values. */
export async function loadOrCreateHostKeys(path: string): Promise<HostKeys> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { keys, completed } = parseKeys(text ?? '{}', path);
  if (text === undefined || completed) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  return keys;
}

function same(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether a presented key satisfies a level: `function` accepts the function's own keys, any
 * host function key and the master key; `system` (extension webhooks) accepts the named system
 * key and the master key; `admin` only the master key.
 */
export function isAuthorized(
  keys: HostKeys,
  level: AuthLevel,
  presented: string | undefined,
  scope: { functionName?: string; systemKeyName?: string } = {},
): boolean {
  if (level === 'anonymous') return true;
  if (presented === undefined || presented === '') return false;
  if (same(presented, keys.masterKey)) return true;
  if (level === 'admin') return false;
  if (level === 'system') {
    const systemKey = scope.systemKeyName === undefined ? undefined : keys.systemKeys[scope.systemKeyName];
    return systemKey !== undefined && same(presented, systemKey);
  }
  const own = scope.functionName === undefined ? {} : (keys.functions?.[scope.functionName] ?? {});
  return [...Object.values(keys.functionKeys), ...Object.values(own)].some((k) => same(presented, k));
}
