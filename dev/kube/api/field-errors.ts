import { isObject, type Json } from '../core/json.js';

/**
 * Field-level validation errors as k8s.io/apimachinery/pkg/util/validation/field renders them: the
 * `reason` of a Status cause is the error type, the cause `message` is `ErrorBody()` and the Status
 * message joins `<field>: <body>` entries.
 */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
};

export interface FieldError {
  readonly type: FieldErrorType;
  readonly field: string;
  readonly value?: Json;
  /** The bad value already rendered as Go prints it (structs such as a LabelSelector). */
  readonly valueText?: string;
  readonly detail: string;
}

/** Go's `%#v` for the composite values our validators report (string slices and maps). */
function goSyntax(value: Json): string {
  if (Array.isArray(value)) {
    const allStrings = value.every((v) => typeof v === 'string');
    return `[]${allStrings ? 'string' : 'interface {}'}{${value.map((v) => goSyntax(v)).join(', ')}}`;
  }
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSyntax(value[k] ?? null)}`);
    return `map[string]string{${entries.join(', ')}}`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function errorBody(e: FieldError): string {
  let s = typeText[e.type];
  const omitsValue =
    e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' || e.type === 'FieldValueTooLong';
  if (!omitsValue && e.valueText !== undefined) {
    s += `: ${e.valueText}`;
  } else if (!omitsValue && e.value !== undefined) {
    const v = e.value;
    s += `: ${v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : goSyntax(v)}`;
  }
  if (e.detail.length > 0) s += `: ${e.detail}`;
  return s;
}

export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** `ErrorList.ToAggregate().Error()`: duplicates dropped, one error bare, several in brackets. */
export function aggregate(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errors) {
    const m = errorString(e);
    if (!seen.has(m)) {
      seen.add(m);
      msgs.push(m);
    }
  }
  return msgs.length === 1 ? (msgs[0] ?? '') : `[${msgs.join(', ')}]`;
}

export const fe = {
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  invalid: (field: string, value: Json, detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field,
    value,
    detail,
  }),
  invalidRendered: (field: string, valueText: string, detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field,
    valueText,
    detail,
  }),
  duplicate: (field: string, value: Json): FieldError => ({
    type: 'FieldValueDuplicate',
    field,
    value,
    detail: '',
  }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  notSupported: (field: string, value: Json, valid: readonly string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    value,
    detail: valid.length > 0 ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
  }),
  /** Current apimachinery wording: the value is never printed, only the limit. */
  tooLong: (field: string, maxBytes: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    detail: `may not be more than ${maxBytes} ${maxBytes === 1 ? 'byte' : 'bytes'}`,
  }),
};

/** Field paths the way field.Path prints them: `spec.containers[0].env[1].name`, `data[key]`. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(name: string): FieldPath {
    return new FieldPath(name === '' ? '[]' : name);
  }

  child(name: string): FieldPath {
    return new FieldPath(`${this.text}.${name}`);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}
