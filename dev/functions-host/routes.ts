/**
 * HTTP route templates as the Functions host reads them (ASP.NET Core route template syntax):
 * literal segments (case-insensitive), `{name}`, optional `{name?}` (trailing only), catch-all
 * `{*rest}` / `{**rest}` (last only), and inline constraints `{id:int}`, `{id:guid}`, `{x:alpha}`,
 * `{n:range(1,9)}`, `{s:regex(^a+$)}`... Candidates are tried in ASP.NET precedence order
 * (literal before constrained parameter before parameter before catch-all, segment by segment).
 * Note: the real Functions host tries routes in function-name order instead (azure-functions-host
 * #9876); the host warns when that order would pick a different function (see http-server.ts).
 */

export class RouteTemplateError extends Error {
  constructor(
    readonly template: string,
    why: string,
  ) {
    super(`Route template '${template}' is not supported: ${why}`);
    this.name = 'RouteTemplateError';
  }
}

type Constraint = (value: string) => boolean;

type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | {
      readonly kind: 'parameter';
      readonly name: string;
      readonly optional: boolean;
      readonly catchAll: boolean;
      readonly defaultValue: string | undefined;
      readonly constraints: readonly Constraint[];
    };

export interface RouteTemplate {
  readonly template: string;
  readonly segments: readonly Segment[];
  /** ASP.NET inbound precedence digits, one per segment: lower sorts first. */
  readonly precedence: readonly number[];
}

const intPattern = /^-?\d+$/;
const numberPattern = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const guidPattern = /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

function numbers(args: string, count: number, template: string, name: string): number[] {
  const parts = args.split(',').map((a) => Number(a.trim()));
  if (parts.length !== count || parts.some((p) => !Number.isFinite(p))) {
    throw new RouteTemplateError(template, `constraint '${name}' needs ${count} numeric argument(s)`);
  }
  return parts;
}

function constraint(spec: string, template: string): Constraint {
  const match = /^([a-zA-Z]+)(?:\((.*)\))?$/s.exec(spec);
  const name = match?.[1]?.toLowerCase();
  const args = match?.[2] ?? '';
  const inInt32 = (v: string) => intPattern.test(v) && Math.abs(Number(v)) <= 2 ** 31;
  switch (name) {
    case 'int':
      return inInt32;
    case 'long':
      return (v) => intPattern.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'guid':
      return (v) => guidPattern.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'decimal':
    case 'double':
    case 'float':
      return (v) => numberPattern.test(v);
    case 'minlength': {
      const [min = 0] = numbers(args, 1, template, name);
      return (v) => v.length >= min;
    }
    case 'maxlength': {
      const [max = 0] = numbers(args, 1, template, name);
      return (v) => v.length <= max;
    }
    case 'length': {
      const bounds = args.includes(',') ? numbers(args, 2, template, name) : numbers(args, 1, template, name);
      const [min = 0, max = min] = bounds;
      return (v) => v.length >= min && v.length <= max;
    }
    case 'min': {
      const [min = 0] = numbers(args, 1, template, name);
      return (v) => intPattern.test(v) && Number(v) >= min;
    }
    case 'max': {
      const [max = 0] = numbers(args, 1, template, name);
      return (v) => intPattern.test(v) && Number(v) <= max;
    }
    case 'range': {
      const [min = 0, max = 0] = numbers(args, 2, template, name);
      return (v) => intPattern.test(v) && Number(v) >= min && Number(v) <= max;
    }
    case 'regex': {
      const pattern = new RegExp(args, 'i');
      return (v) => pattern.test(v);
    }
    case undefined:
    default:
      throw new RouteTemplateError(template, `unknown constraint '${spec}'`);
  }
}

/** Splits `id:int:range(1,9)` on the colons that are not inside parentheses. */
function splitConstraints(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseSegment(text: string, template: string): Segment {
  if (!text.includes('{') && !text.includes('}')) return { kind: 'literal', text };
  const match = /^\{(.+)\}$/s.exec(text);
  if (match === null || (match[1] ?? '').includes('{')) {
    throw new RouteTemplateError(template, `segment '${text}' mixes literal text and parameters`);
  }
  let body = match[1] as string;
  const catchAll = body.startsWith('*');
  body = body.replace(/^\*{1,2}/, '');
  let defaultValue: string | undefined;
  const eq = body.indexOf('=');
  if (eq >= 0) {
    defaultValue = body.slice(eq + 1);
    body = body.slice(0, eq);
  }
  const optional = body.endsWith('?');
  if (optional) body = body.slice(0, -1);
  const [name = '', ...constraintSpecs] = splitConstraints(body);
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
    throw new RouteTemplateError(template, `'${name}' is not a valid parameter name`);
  }
  const constraints = constraintSpecs.map((spec) => constraint(spec, template));
  return { kind: 'parameter', name, optional, catchAll, defaultValue, constraints };
}

function precedenceDigit(segment: Segment): number {
  if (segment.kind === 'literal') return 1;
  if (segment.catchAll) return 5;
  return segment.constraints.length > 0 ? 3 : 4;
}

export function parseRouteTemplate(template: string): RouteTemplate {
  const trimmed = template.replace(/^~?\/+/, '').replace(/\/+$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/').map((s) => parseSegment(s, template));
  const names = new Set<string>();
  segments.forEach((segment, i) => {
    if (segment.kind === 'literal') {
      if (segment.text === '') throw new RouteTemplateError(template, 'it has an empty segment');
      return;
    }
    const key = segment.name.toLowerCase();
    if (names.has(key)) throw new RouteTemplateError(template, `parameter '${segment.name}' appears twice`);
    names.add(key);
    const rest = segments.slice(i + 1);
    if (segment.catchAll && rest.length > 0) {
      throw new RouteTemplateError(template, 'a catch-all parameter must be the last segment');
    }
    const skippable = (s: Segment) =>
      s.kind === 'parameter' && (s.optional || s.catchAll || !!s.defaultValue);
    if (segment.optional && !rest.every(skippable)) {
      throw new RouteTemplateError(template, `optional parameter '${segment.name}' must come last`);
    }
  });
  return { template, segments, precedence: segments.map(precedenceDigit) };
}

/**
 * Route values for a path (the part after the route prefix, already split), or undefined. An
 * optional parameter without a value is present with an empty string: the host passes it as a
 * null route value, which the library turns into ''.
 */
export function matchRoute(
  route: RouteTemplate,
  pathSegments: readonly string[],
): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  for (const [i, segment] of route.segments.entries()) {
    const raw = pathSegments[i];
    if (segment.kind === 'literal') {
      if (raw === undefined || decode(raw).toLowerCase() !== segment.text.toLowerCase()) return undefined;
      continue;
    }
    const value = segment.catchAll ? pathSegments.slice(i).map(decode).join('/') : raw && decode(raw);
    if (value === undefined || value === '') {
      if (segment.defaultValue !== undefined) values[segment.name] = segment.defaultValue;
      else if (segment.optional) values[segment.name] = '';
      else if (!segment.catchAll) return undefined;
      continue;
    }
    if (!segment.constraints.every((check) => check(value))) return undefined;
    values[segment.name] = value;
    if (segment.catchAll) return values;
  }
  return pathSegments.length <= route.segments.length ? values : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Orders candidates the way ASP.NET tries them: by precedence digits, shorter templates first. */
export function comparePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.precedence[i] ?? 0) - (b.precedence[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Splits a request path (already stripped of the route prefix) into raw segments. */
export function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}
