/**
 * Typed reads from an untrusted JSON body. Every reader reports what is wrong at its path and
 * returns undefined, so a validator can keep going and report all problems together. JSON `null`
 * counts as absent (ServiceLinker marks most of its properties `x-nullable`).
 */
import { childPath, indexPath, shown, type Issues } from './issues.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The object at `path`, undefined when absent; anything else than an object is a problem. */
export function readObject(
  value: unknown,
  path: string,
  issues: Issues,
  required = false,
): JsonObject | undefined {
  if (value === undefined || value === null) {
    if (required) issues.add('MissingProperty', path, `'${path}' is required.`);
    return undefined;
  }
  if (!isJsonObject(value)) {
    issues.add('InvalidType', path, `'${path}' must be an object, not ${typeName(value)}.`);
    return undefined;
  }
  return value;
}

export interface KnownKeys {
  /** Properties this object may carry. */
  readonly known: readonly string[];
  /** Read-only properties that GET returns; a client may send them back and they are ignored. */
  readonly readOnly?: readonly string[];
  /** ServiceLinker properties we recognise but do not support here, with the reason. */
  readonly unsupported?: Readonly<Record<string, string>>;
  /** How this object is called in messages, e.g. "a userAssignedIdentity authInfo". */
  readonly what: string;
}

/** Reports every property that is not known, so nothing a client sends is silently ignored. */
export function rejectUnknown(obj: JsonObject, path: string, keys: KnownKeys, issues: Issues): void {
  for (const key of Object.keys(obj)) {
    if (keys.known.includes(key) || keys.readOnly?.includes(key)) continue;
    const target = childPath(path, key);
    const why = keys.unsupported?.[key];
    if (why !== undefined) {
      if (obj[key] !== null)
        issues.add('UnsupportedProperty', target, `'${target}' is not supported: ${why}`);
      continue;
    }
    const sameButCase = keys.known.find((k) => k.toLowerCase() === key.toLowerCase());
    const hint =
      sameButCase === undefined
        ? `known properties: ${keys.known.join(', ')}`
        : `did you mean '${sameButCase}'? (names are case-sensitive)`;
    issues.add('UnknownProperty', target, `'${target}' is not a property of ${keys.what}; ${hint}.`);
  }
}

export interface StringRule {
  readonly required?: boolean;
  readonly pattern?: RegExp;
  /** What the pattern means, for the message, e.g. "a GUID". */
  readonly patternHint?: string;
  readonly maxLength?: number;
  /** Secret values are never echoed in messages. */
  readonly secret?: boolean;
  /** Accept '' (dictionary values may be empty). */
  readonly allowEmpty?: boolean;
}

export function readString(
  obj: JsonObject,
  key: string,
  path: string,
  issues: Issues,
  rule: StringRule = {},
): string | undefined {
  const target = childPath(path, key);
  const value = obj[key];
  if (value === undefined || value === null) {
    if (rule.required === true) issues.add('MissingProperty', target, `'${target}' is required.`);
    return undefined;
  }
  return checkString(value, target, issues, rule);
}

export function checkString(
  value: unknown,
  target: string,
  issues: Issues,
  rule: StringRule = {},
): string | undefined {
  if (typeof value !== 'string') {
    issues.add('InvalidType', target, `'${target}' must be a string, not ${typeName(value)}.`);
    return undefined;
  }
  if (value.trim() === '' && !(rule.allowEmpty === true && value === '')) {
    issues.add('InvalidValue', target, `'${target}' must not be empty.`);
    return undefined;
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    issues.add(
      'TooLarge',
      target,
      `'${target}' is ${value.length} characters long; at most ${rule.maxLength} are allowed.`,
    );
    return undefined;
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    const got = rule.secret === true ? '' : ` ${shown(value)}`;
    issues.add(
      'InvalidValue',
      target,
      `'${target}' must be ${rule.patternHint ?? `like ${rule.pattern.source}`}; got${got || ' another value'}.`,
    );
    return undefined;
  }
  return value;
}

/** One of `values` (compared exactly, as ServiceLinker's enums are). */
export function readEnum<T extends string>(
  obj: JsonObject,
  key: string,
  path: string,
  issues: Issues,
  values: readonly T[],
  required = false,
): T | undefined {
  const target = childPath(path, key);
  const value = obj[key];
  if (value === undefined || value === null) {
    if (required)
      issues.add('MissingProperty', target, `'${target}' is required; give one of: ${values.join(', ')}.`);
    return undefined;
  }
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  const caseHint =
    typeof value === 'string' ? values.find((v) => v.toLowerCase() === value.toLowerCase()) : undefined;
  const hint = caseHint === undefined ? '' : ` (values are case-sensitive: '${caseHint}')`;
  issues.add(
    'InvalidValue',
    target,
    `'${target}' must be one of: ${values.join(', ')}; got ${shown(value)}${hint}.`,
  );
  return undefined;
}

export function readBoolean(obj: JsonObject, key: string, path: string, issues: Issues): boolean | undefined {
  const target = childPath(path, key);
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  issues.add('InvalidType', target, `'${target}' must be true or false, not ${typeName(value)}.`);
  return undefined;
}

/** An array of strings, each checked with `limits.item`; undefined when any item is bad. */
export function readStringList(
  obj: JsonObject,
  key: string,
  path: string,
  issues: Issues,
  limits: { readonly maxItems: number; readonly item?: StringRule },
): string[] | undefined {
  const target = childPath(path, key);
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    issues.add('InvalidType', target, `'${target}' must be an array of strings, not ${typeName(value)}.`);
    return undefined;
  }
  if (value.length > limits.maxItems) {
    issues.add(
      'TooLarge',
      target,
      `'${target}' has ${value.length} items; at most ${limits.maxItems} are allowed.`,
    );
    return undefined;
  }
  // All or nothing: callers index later checks by position, so a list with a bad item is dropped.
  const out: string[] = [];
  let bad = false;
  value.forEach((item: unknown, i) => {
    const checked = checkString(item, indexPath(target, i), issues, limits.item);
    if (checked === undefined) bad = true;
    else out.push(checked);
  });
  return bad ? undefined : out;
}

/** An object whose values are all strings (a dictionary such as `additionalConfigurations`). */
export function readStringMap(
  obj: JsonObject,
  key: string,
  path: string,
  issues: Issues,
  limits: { readonly maxEntries: number; readonly key: StringRule; readonly value?: StringRule },
): Record<string, string> | undefined {
  const target = childPath(path, key);
  const map = readObject(obj[key], target, issues);
  if (map === undefined) return undefined;
  const entries = Object.entries(map);
  if (entries.length > limits.maxEntries) {
    issues.add(
      'TooLarge',
      target,
      `'${target}' has ${entries.length} entries; at most ${limits.maxEntries} are allowed.`,
    );
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    const itemTarget = childPath(target, k);
    const keyOk = checkKey(k, itemTarget, issues, limits.key);
    const value = checkString(v, itemTarget, issues, limits.value ?? {});
    if (keyOk && value !== undefined) out[k] = value;
  }
  return out;
}

function checkKey(key: string, target: string, issues: Issues, rule: StringRule): boolean {
  if (rule.maxLength !== undefined && key.length > rule.maxLength) {
    issues.add(
      'TooLarge',
      target,
      `The key of '${target}' is ${key.length} characters long; at most ${rule.maxLength} are allowed.`,
    );
    return false;
  }
  if (rule.pattern !== undefined && !rule.pattern.test(key)) {
    issues.add(
      'InvalidValue',
      target,
      `The key of '${target}' must be ${rule.patternHint ?? `like ${rule.pattern.source}`}.`,
    );
    return false;
  }
  return true;
}
