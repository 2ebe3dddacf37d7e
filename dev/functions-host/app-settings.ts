/**
 * App settings as the local host sees them: Core Tools reads `local.settings.json` `Values` into
 * the environment, skipping a value the environment already defines (non-empty); settings passed explicitly
 * (by `startFunctionsHost({ env })`) win over both.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type AppSettings = Readonly<Record<string, string | undefined>>;

export class AppSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppSettingError';
  }
}

/** `Values` from `<appDir>/local.settings.json`, or nothing when the file is absent. */
export async function readLocalSettingsValues(appDir: string): Promise<Record<string, string>> {
  const path = join(appDir, 'local.settings.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppSettingError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const values = (parsed as { Values?: unknown } | null)?.Values;
  if (values === undefined) return {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new AppSettingError(`${path}: "Values" must be an object of strings`);
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
  }
  return out;
}

export function mergeAppSettings(
  localValues: Readonly<Record<string, string>>,
  processEnv: AppSettings,
  explicit: AppSettings,
): Record<string, string> {
  const merged: Record<string, string> = { ...localValues };
  for (const [name, value] of Object.entries(processEnv)) {
    // Core Tools keeps a local value when the environment variable is empty.
    if (value !== undefined && (value !== '' || !(name in localValues))) merged[name] = value;
  }
  for (const [name, value] of Object.entries(explicit)) if (value !== undefined) merged[name] = value;
  return merged;
}

/**
 * Binding expressions `%SettingName%` (timer schedules, queue names, routes) resolve from app
 * settings, as the Functions host's name resolver does; an unknown name is an error.
 */
export function resolveSettingTokens(value: string, settings: AppSettings, what: string): string {
  return value.replace(/%([^%]+)%/g, (_token, name: string) => {
    const resolved = settings[name];
    if (resolved === undefined) {
      throw new AppSettingError(`${what} refers to app setting '${name}' (%${name}%), which is not set`);
    }
    return resolved;
  });
}
