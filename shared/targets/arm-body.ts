/**
 * ARM resource bodies as the REST API returns them (`{ id, name, location, kind, sku, properties }`),
 * read defensively: the adapters hand us JSON, and a missing or oddly typed field must become
 * "unknown" rather than a crash.
 */

export interface ArmResource {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly location?: string;
  readonly kind?: string;
  readonly sku?: { readonly name?: string; readonly tier?: string };
  readonly properties?: Record<string, unknown>;
}

/** A child resource as listed (`GET .../firewallRules` returns `{ value: ArmChild[] }`). */
export interface ArmChild {
  readonly id?: string;
  readonly name?: string;
  readonly properties?: Record<string, unknown>;
}

function step(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The value at a dotted path, e.g. `at(body, 'properties', 'networkAcls', 'ipRules')`. */
export function at(value: unknown, ...path: string[]): unknown {
  return path.reduce(step, value);
}

export function str(value: unknown, ...path: string[]): string | undefined {
  const found = at(value, ...path);
  return typeof found === 'string' && found !== '' ? found : undefined;
}

export function bool(value: unknown, ...path: string[]): boolean | undefined {
  const found = at(value, ...path);
  return typeof found === 'boolean' ? found : undefined;
}

export function num(value: unknown, ...path: string[]): number | undefined {
  const found = at(value, ...path);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

export function list(value: unknown, ...path: string[]): readonly unknown[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? (found as unknown[]) : [];
}

export function record(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  const found = at(value, ...path);
  return found !== null && typeof found === 'object' && !Array.isArray(found)
    ? (found as Record<string, unknown>)
    : undefined;
}

/** `https://st1.blob.core.windows.net/` → `st1.blob.core.windows.net`. */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Case-insensitive equality for ARM enum strings (`Disabled`, `disabled`). */
export function sameText(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
