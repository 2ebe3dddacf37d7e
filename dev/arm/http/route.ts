/**
 * Turns a request path into what it addresses. ARM paths are case-insensitive and extension
 * resources nest a second `/providers/` under any resource (role assignments, cluster extensions),
 * so the split happens at the last `providers` segment, like ARM's own routing.
 */

export type Route =
  | { readonly kind: 'subscriptions' }
  | { readonly kind: 'subscription'; readonly subscriptionId: string }
  | { readonly kind: 'providers'; readonly subscriptionId: string }
  | {
      readonly kind: 'provider';
      readonly subscriptionId: string;
      readonly namespace: string;
      readonly action: string | undefined;
    }
  | { readonly kind: 'resourceGroups'; readonly subscriptionId: string }
  | { readonly kind: 'resourceGroup'; readonly subscriptionId: string; readonly resourceGroup: string }
  | {
      readonly kind: 'genericResources';
      readonly subscriptionId: string;
      readonly resourceGroup: string | undefined;
    }
  | {
      readonly kind: 'operation';
      readonly subscriptionId: string;
      readonly namespace: string;
      readonly location: string;
      readonly flavor: 'status' | 'result';
      readonly operationId: string;
    }
  | ResourceRoute
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * `scope` is the id everything hangs off: `/subscriptions/{s}`, `/subscriptions/{s}/resourceGroups/{rg}`
 * or, for an extension resource, the id of the extended resource.
 */
export interface ResourceRoute {
  readonly kind: 'resource';
  readonly subscriptionId: string;
  /** The resource group of the scope (for an extension resource: of the extended resource). */
  readonly resourceGroup: string | undefined;
  readonly scope: string;
  /** True when `scope` is a resource id rather than a subscription or resource group. */
  readonly isExtension: boolean;
  readonly namespace: string;
  readonly types: readonly string[];
  readonly names: readonly string[];
  /** A trailing segment after the last name: a collection (GET) or an action (POST). */
  readonly tail: string | undefined;
}

const operationFlavors: Readonly<Record<string, 'status' | 'result'>> = {
  operationstatuses: 'status',
  operationresults: 'result',
};

export function parseRoute(path: string): Route {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const lower = segments.map((s) => s.toLowerCase());
  if (lower[0] !== 'subscriptions') return { kind: 'unknown', reason: 'tenant-level paths are not emulated' };
  const subscriptionId = segments[1];
  if (subscriptionId === undefined) return { kind: 'subscriptions' };
  if (segments.length === 2) return { kind: 'subscription', subscriptionId };

  let index = 2;
  let resourceGroup: string | undefined;
  if (lower[2] === 'resourcegroups') {
    resourceGroup = segments[3];
    if (resourceGroup === undefined) return { kind: 'resourceGroups', subscriptionId };
    if (segments.length === 4) return { kind: 'resourceGroup', subscriptionId, resourceGroup };
    index = 4;
  }
  if (lower[index] === 'resources' && segments.length === index + 1) {
    return { kind: 'genericResources', subscriptionId, resourceGroup };
  }
  if (lower[index] !== 'providers')
    return { kind: 'unknown', reason: `unexpected segment '${segments[index]}'` };
  if (resourceGroup === undefined && segments.length === 3) return { kind: 'providers', subscriptionId };

  const last = lower.lastIndexOf('providers');
  const namespace = segments[last + 1];
  if (namespace === undefined)
    return { kind: 'unknown', reason: 'the resource provider namespace is missing' };
  const rest = segments.slice(last + 2);
  const scopeSegments = segments.slice(0, last);
  const scope = '/' + scopeSegments.join('/');
  const isExtension = last !== index;

  if (!isExtension && resourceGroup === undefined) {
    if (rest.length === 0) return { kind: 'provider', subscriptionId, namespace, action: undefined };
    const first = rest[0]?.toLowerCase();
    if (rest.length === 1 && (first === 'register' || first === 'unregister')) {
      return { kind: 'provider', subscriptionId, namespace, action: first };
    }
    const flavor = operationFlavors[rest[2]?.toLowerCase() ?? ''];
    if (first === 'locations' && rest.length === 4 && flavor !== undefined) {
      return {
        kind: 'operation',
        subscriptionId,
        namespace,
        location: rest[1] as string,
        flavor,
        operationId: rest[3] as string,
      };
    }
  }
  if (rest.length === 0) return { kind: 'unknown', reason: 'a resource type is missing after the namespace' };
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) {
    types.push(rest[i] as string);
    names.push(rest[i + 1] as string);
  }
  const tail = rest.length % 2 === 1 ? rest[rest.length - 1] : undefined;
  return {
    kind: 'resource',
    subscriptionId,
    resourceGroup: isExtension ? extensionResourceGroup(scopeSegments) : resourceGroup,
    scope,
    isExtension,
    namespace,
    types,
    names,
    tail,
  };
}

function extensionResourceGroup(scopeSegments: readonly string[]): string | undefined {
  return scopeSegments[2]?.toLowerCase() === 'resourcegroups' ? scopeSegments[3] : undefined;
}

/** The route's resource id (without a tail), built with the caller's casing. */
export function routeResourceId(route: ResourceRoute, depth = route.names.length): string {
  const pairs = route.types
    .slice(0, depth)
    .map((t, i) => `${t}/${route.names[i] as string}`)
    .join('/');
  return `${route.scope}/providers/${route.namespace}/${pairs}`;
}
