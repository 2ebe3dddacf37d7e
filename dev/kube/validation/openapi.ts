import { fe, type FieldError } from '../api/field-errors.js';
import { arr, isObject, num, obj, str, type Json, type JsonObject } from '../core/json.js';
import type { ListType, SchemaNode } from '../ssa/schema.js';

/**
 * Structural-schema handling of custom resources (apiextensions-apiserver): pruning of unknown
 * fields, the common OpenAPI checks with kube-openapi's messages, and the list/map semantics
 * (`x-kubernetes-list-type`, `x-kubernetes-map-type`) that server-side apply uses.
 */
type OpenApi = JsonObject;

function typeOfValue(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string, v: Json): boolean {
  const actual = typeOfValue(v);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

/** Removes fields the schema does not declare, unless it preserves unknown fields. */
export function prune(value: Json, schema: OpenApi | undefined, root = false): Json {
  if (schema === undefined) return value;
  if (isObject(value)) {
    const props = obj(schema.properties);
    const additional = schema.additionalProperties;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    for (const key of Object.keys(value)) {
      if (root && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
      const propSchema = obj(props?.[key]) ?? (isObject(additional) ? additional : undefined);
      if (propSchema === undefined && !preserve && additional !== true) {
        delete value[key];
        continue;
      }
      value[key] = prune(value[key] ?? null, propSchema);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => prune(item, obj(schema.items)));
  return value;
}

export function validateAgainst(
  value: Json,
  schema: OpenApi | undefined,
  path: string,
  errs: FieldError[],
): void {
  if (schema === undefined) return;
  if (value === null && schema.nullable !== true && schema.type !== undefined) {
    errs.push({
      type: 'FieldValueTypeInvalid',
      field: path,
      value: null,
      detail: `${path} in body must be of type ${str(schema.type) ?? 'object'}: "null"`,
    });
    return;
  }
  const type = str(schema.type);
  if (type !== undefined && value !== null && !typeMatches(type, value)) {
    errs.push({
      type: 'FieldValueTypeInvalid',
      field: path,
      value,
      detail: `${path} in body must be of type ${type}: "${typeOfValue(value)}"`,
    });
    return;
  }
  const enumValues = arr(schema.enum);
  if (enumValues !== undefined && !enumValues.some((e) => e === value)) {
    errs.push(
      fe.notSupported(
        path,
        value,
        enumValues.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))),
      ),
    );
  }
  if (typeof value === 'number') {
    const max = num(schema.maximum);
    const min = num(schema.minimum);
    if (max !== undefined && value > max)
      errs.push(fe.invalid(path, value, `${path} in body should be less than or equal to ${max}`));
    if (min !== undefined && value < min)
      errs.push(fe.invalid(path, value, `${path} in body should be greater than or equal to ${min}`));
  }
  if (typeof value === 'string') {
    const pattern = str(schema.pattern);
    if (pattern !== undefined && !new RegExp(pattern, 'u').test(value)) {
      errs.push(fe.invalid(path, value, `${path} in body should match '${pattern}'`));
    }
    const maxLength = num(schema.maxLength);
    if (maxLength !== undefined && [...value].length > maxLength) errs.push(fe.tooLong(path, maxLength));
  }
  if (isObject(value)) {
    for (const req of arr(schema.required) ?? []) {
      if (typeof req === 'string' && value[req] === undefined) errs.push(fe.required(`${path}.${req}`));
    }
    const props = obj(schema.properties) ?? {};
    const additional = obj(schema.additionalProperties);
    for (const [key, v] of Object.entries(value)) {
      const s = obj(props[key]) ?? additional;
      validateAgainst(v, s, `${path}.${key}`, errs);
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => validateAgainst(item, obj(schema.items), `${path}[${i}]`, errs));
  }
}

/** Validates everything but the object's metadata/apiVersion/kind against the version's schema. */
export function validateCustomResource(o: JsonObject, schema: OpenApi | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (schema === undefined) return errs;
  const props = obj(schema.properties) ?? {};
  for (const [key, v] of Object.entries(o)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    validateAgainst(v, obj(props[key]), key, errs);
  }
  for (const req of arr(schema.required) ?? []) {
    if (typeof req === 'string' && o[req] === undefined) errs.push(fe.required(req));
  }
  return errs;
}

function listTypeFrom(schema: OpenApi): ListType | undefined {
  const t = str(schema['x-kubernetes-list-type']);
  if (t === 'map') {
    const keys = (arr(schema['x-kubernetes-list-map-keys']) ?? []).filter(
      (k): k is string => typeof k === 'string',
    );
    return { type: 'map', keys };
  }
  if (t === 'set') return { type: 'set' };
  if (t === 'atomic') return { type: 'atomic' };
  return undefined;
}

/** The server-side apply view of a structural schema. */
export function schemaNodeFrom(schema: OpenApi | undefined): SchemaNode {
  if (schema === undefined) return {};
  const fields: Record<string, SchemaNode> = {};
  for (const [k, v] of Object.entries(obj(schema.properties) ?? {})) {
    if (isObject(v)) fields[k] = schemaNodeFrom(v);
  }
  const items = obj(schema.items);
  const additional = obj(schema.additionalProperties);
  const list = listTypeFrom(schema);
  const node: {
    fields?: Record<string, SchemaNode>;
    elem?: SchemaNode;
    list?: ListType;
    atomic?: boolean;
  } = {};
  if (Object.keys(fields).length > 0) node.fields = fields;
  if (items !== undefined) node.elem = schemaNodeFrom(items);
  else if (additional !== undefined) node.elem = schemaNodeFrom(additional);
  if (list !== undefined) node.list = list;
  if (schema['x-kubernetes-map-type'] === 'atomic') node.atomic = true;
  return node;
}
