/**
 * App settings as the local host sees them: Core Tools reads `local.settings.json` `Values` into
 * the environment, skipping a value the environment already defines; settings passed explicitly
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
  const merged: Record<string, string> = {};
  for (const source of [localValues, processEnv, explicit]) {
    for (const [name, value] of Object.entries(source)) if (value !== undefined) merged[name] = value;
  }
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
