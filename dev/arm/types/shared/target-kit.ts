/** Pieces most target services share: the tracked envelope, IP rule checks, key pairs. */
import { ArmError } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import { isPublicIpv4, parseIpv4, parseIpv4OrCidr } from './ip.js';
import { accessKey } from './keys.js';

/** location, tags, sku, kind, identity as given (or as they were). */
export function envelope(
  input: JsonObject,
  existing: StoredResource | undefined,
  keys = ['location', 'tags', 'sku', 'kind', 'identity'],
): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) {
    const v = input[k] ?? existing?.body[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function keyPair(
  existing: StoredResource | undefined,
  names: readonly string[] = ['primary', 'secondary'],
): JsonObject {
  const out: JsonObject = { ...existing?.secrets };
  for (const n of names) out[n] ??= accessKey(32);
  return out;
}

/**
 * Validates IPv4 address-or-CIDR rule values (Key Vault, Cognitive Services, Cosmos DB, Service
 * Bus / Event Hubs): malformed values and, unless `allowPrivate`, non-public addresses are refused.
 */
export function validateIpRules(
  values: readonly unknown[],
  options: { limit?: number; allowPrivate?: boolean; code: string; field: string; service: string },
): void {
  if (options.limit !== undefined && values.length > options.limit) {
    throw new ArmError(
      400,
      options.code,
      `${options.service} allows at most ${options.limit} IP rules; ${values.length} were given (${options.field}).`,
    );
  }
  for (const v of values) {
    const range = typeof v === 'string' ? parseIpv4OrCidr(v) : undefined;
    if (range === undefined || (options.allowPrivate !== true && !isPublicIpv4(range.address))) {
      throw new ArmError(
        400,
        options.code,
        `Invalid value found at ${options.field}: '${String(v)}' is not a valid public IPv4 address or CIDR range.`,
      );
    }
  }
}

/** `{ startIpAddress, endIpAddress }` style rules (SQL, PostgreSQL, MySQL, Redis). */
export function validateIpRange(
  start: unknown,
  end: unknown,
  codes: { invalid: string; order: string },
): { start: string; end: string } {
  const a = typeof start === 'string' ? parseIpv4(start) : undefined;
  const b = typeof end === 'string' ? parseIpv4(end) : undefined;
  if (a === undefined || b === undefined) {
    throw new ArmError(
      400,
      codes.invalid,
      `The firewall rule start and end addresses must be valid IPv4 addresses ('${String(start)}' - '${String(end)}').`,
    );
  }
  if (a > b) {
    throw new ArmError(
      400,
      codes.order,
      `The firewall rule start address '${String(start)}' must not be greater than its end address '${String(end)}'.`,
    );
  }
  return { start: start as string, end: end as string };
}

export function ruleValues(rules: unknown, field: string): unknown[] {
  return arr(rules).map((r) => obj(r)[field]);
}

export function required(input: JsonObject, path: string): unknown {
  const value = path.split('.').reduce<unknown>((o, k) => obj(o)[k], input);
  if (value === undefined || value === null || value === '') {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: 'Required property '${path}' not found in JSON.'`,
    );
  }
  return value;
}

export function name(resource: StoredResource | undefined, fallback: string): string {
  return str(resource?.body['name']) ?? fallback;
}
