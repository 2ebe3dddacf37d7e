import { arr, isObject, obj, str, type JsonObject } from '../core/json.js';
import { errors } from '../api/status.js';

/** One requirement of a label selector, as k8s.io/apimachinery/pkg/labels represents it. */
export interface Requirement {
  readonly key: string;
  readonly op: 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
  readonly values: readonly string[];
}

export function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case 'in':
      return has && r.values.includes(value ?? '');
    case 'notin':
      return !has || !r.values.includes(value ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number(value);
      const bound = Number(r.values[0]);
      if (!Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return r.op === 'gt' ? n > bound : n < bound;
    }
  }
}

/** metav1.LabelSelector (matchLabels + matchExpressions) to requirements. */
export function requirementsOf(selector: JsonObject): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(obj(selector.matchLabels) ?? {})) {
    reqs.push({ key: k, op: 'in', values: [typeof v === 'string' ? v : ''] });
  }
  for (const e of arr(selector.matchExpressions) ?? []) {
    if (!isObject(e)) continue;
    const values = (arr(e.values) ?? []).filter((x): x is string => typeof x === 'string');
    const opMap: Record<string, Requirement['op']> = {
      In: 'in',
      NotIn: 'notin',
      Exists: 'exists',
      DoesNotExist: '!',
    };
    reqs.push({ key: str(e.key) ?? '', op: opMap[str(e.operator) ?? ''] ?? 'in', values });
  }
  return reqs;
}

/** An empty selector matches everything; a null one (undefined here) is handled by callers. */
export function selectorMatches(selector: JsonObject, labels: Readonly<Record<string, string>>): boolean {
  return requirementsOf(selector).every((r) => requirementMatches(r, labels));
}

/** Parses the `labelSelector` query parameter (labels.Parse grammar). */
export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  let i = 0;
  const s = text;
  const skipSpace = (): void => {
    while (i < s.length && /\s/.test(s[i] ?? '')) i++;
  };
  const fail = (msg: string): never => {
    throw errors.badRequest(`unable to parse requirement: ${msg}`);
  };
  const readKey = (): string => {
    skipSpace();
    const start = i;
    while (i < s.length && !/[\s,=!()<>]/.test(s[i] ?? '')) i++;
    return s.slice(start, i);
  };
  const readValues = (): string[] => {
    skipSpace();
    if (s[i] !== '(') fail(`found '${s[i] ?? ''}', expected: '('`);
    i++;
    const values: string[] = [];
    for (;;) {
      skipSpace();
      const start = i;
      while (i < s.length && !/[\s,)]/.test(s[i] ?? '')) i++;
      values.push(s.slice(start, i));
      skipSpace();
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === ')') {
        i++;
        return values.filter((v) => v !== '');
      }
      return fail("found 'end of string', expected: ',', ')' or identifier");
    }
  };
  skipSpace();
  if (i >= s.length) return reqs;
  for (;;) {
    skipSpace();
    if (s[i] === '!') {
      i++;
      reqs.push({ key: readKey(), op: '!', values: [] });
    } else {
      const key = readKey();
      if (key === '') fail(`found '${s[i] ?? 'end of string'}', expected: !, identifier, or 'end of string'`);
      skipSpace();
      const rest = s.slice(i);
      if (rest.startsWith('==') || rest.startsWith('=') || rest.startsWith('!=')) {
        const op = rest.startsWith('!=') ? 'notin' : 'in';
        i += rest.startsWith('=') && !rest.startsWith('==') ? 1 : 2;
        skipSpace();
        const start = i;
        while (i < s.length && !/[\s,]/.test(s[i] ?? '')) i++;
        reqs.push({ key, op, values: [s.slice(start, i)] });
      } else if (/^in[\s(]/.test(rest)) {
        i += 2;
        reqs.push({ key, op: 'in', values: readValues() });
      } else if (/^notin[\s(]/.test(rest)) {
        i += 5;
        reqs.push({ key, op: 'notin', values: readValues() });
      } else if (rest.startsWith('>') || rest.startsWith('<')) {
        i += 1;
        skipSpace();
        const start = i;
        while (i < s.length && !/[\s,]/.test(s[i] ?? '')) i++;
        reqs.push({ key, op: rest.startsWith('>') ? 'gt' : 'lt', values: [s.slice(start, i)] });
      } else {
        reqs.push({ key, op: 'exists', values: [] });
      }
    }
    skipSpace();
    if (i >= s.length) return reqs;
    if (s[i] !== ',') fail(`found '${s[i] ?? ''}', expected: ',' or 'end of string'`);
    i++;
  }
}

export interface FieldRequirement {
  readonly field: string;
  readonly value: string;
  readonly negate: boolean;
}

/** Parses the `fieldSelector` query parameter (`a=b`, `a==b`, `a!=b`, comma-separated). */
export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (m === null) throw errors.badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    return { field: m[1] ?? '', value: m[3] ?? '', negate: m[2] === '!=' };
  });
}
