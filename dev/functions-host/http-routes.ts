/**
 * The HTTP routing table built from the registered httpTrigger functions: route template (default:
 * the function name; `%Setting%` allowed), methods (the library defaults to GET and POST), and
 * authLevel. Two functions with the same template text (ignoring case) and a shared method
 * conflict; as in the Functions host, the later one (by name) is not routed and is reported.
 */
import type { AppSettings } from './app-settings.js';
import { resolveSettingTokens } from './app-settings.js';
import type { RegisteredFunction } from './core-api.js';
import type { AuthLevel } from './keys.js';
import { comparePrecedence, matchRoute, parseRouteTemplate, type RouteTemplate } from './routes.js';

export interface RouteEntry {
  readonly fn: RegisteredFunction;
  readonly route: RouteTemplate;
  /** Upper-case methods; undefined means any method. */
  readonly methods: ReadonlySet<string> | undefined;
  readonly authLevel: AuthLevel;
}

export interface RouteMatch {
  readonly entry: RouteEntry;
  readonly params: Record<string, string>;
}

function authLevelOf(fn: RegisteredFunction): AuthLevel {
  const raw = fn.trigger['authLevel'];
  const level = (typeof raw === 'string' ? raw : 'anonymous').toLowerCase();
  if (level === 'anonymous' || level === 'function' || level === 'admin') return level;
  if (level === 'system') return 'system';
  throw new Error(
    `HTTP function '${fn.name}': authLevel '${level}' is not one of anonymous, function, admin`,
  );
}

/** The host compares route templates as text, ignoring case (not by what they match). */
function normalizedTemplate(route: RouteTemplate): string {
  return route.template.replace(/^~?\/+|\/+$/g, '').toLowerCase();
}

export function buildRouteTable(
  functions: readonly RegisteredFunction[],
  settings: AppSettings,
  reportConflict: (message: string) => void,
): RouteEntry[] {
  const entries: RouteEntry[] = [];
  const byName = [...functions].sort((a, b) => a.name.localeCompare(b.name));
  for (const fn of byName) {
    const rawRoute = fn.trigger['route'];
    const template = typeof rawRoute === 'string' && rawRoute !== '' ? rawRoute : fn.name;
    const route = parseRouteTemplate(
      resolveSettingTokens(template, settings, `HTTP function '${fn.name}' route`),
    );
    const rawMethods = fn.trigger['methods'];
    const methods = Array.isArray(rawMethods)
      ? new Set(rawMethods.map((m) => String(m).toUpperCase()))
      : undefined;
    const entry: RouteEntry = { fn, route, methods, authLevel: authLevelOf(fn) };
    const clash = entries.find(
      (other) =>
        normalizedTemplate(other.route) === normalizedTemplate(route) &&
        (other.methods === undefined ||
          methods === undefined ||
          [...methods].some((m) => other.methods?.has(m))),
    );
    if (clash !== undefined) {
      reportConflict(
        `The '${fn.name}' function is in error: the route '${route.template}' conflicts with the route ` +
          `defined by function '${clash.fn.name}'.`,
      );
      continue;
    }
    entries.push(entry);
  }
  return entries.sort((a, b) => comparePrecedence(a.route, b.route) || a.fn.name.localeCompare(b.fn.name));
}

/** Every entry matching the path and method, best first (the table is kept in precedence order). */
export function findRoutes(
  table: readonly RouteEntry[],
  pathSegments: readonly string[],
  method: string,
): RouteMatch[] {
  const out: RouteMatch[] = [];
  for (const entry of table) {
    if (entry.methods !== undefined && !entry.methods.has(method.toUpperCase())) continue;
    const params = matchRoute(entry.route, pathSegments);
    if (params !== undefined) out.push({ entry, params });
  }
  return out;
}

/**
 * The match the real host would pick: it tries function routes in function-name order, not by
 * precedence (azure-functions-host #9876). Used to warn when the two disagree.
 */
export function azureOrderWinner(matches: readonly RouteMatch[]): RouteMatch | undefined {
  return [...matches].sort((a, b) => a.entry.fn.name.localeCompare(b.entry.fn.name))[0];
}
