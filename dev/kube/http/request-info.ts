/**
 * k8s.io/apiserver's RequestInfo resolution for the paths the emulator serves: API prefix,
 * group/version, namespace, resource, name and subresource (with `namespaces/<n>/status` and
 * `/finalize` being subresources of the namespace, not namespaced resources).
 */
export interface ResourceRequest {
  readonly kind: 'resource';
  readonly group: string;
  readonly version: string;
  readonly namespace: string;
  /** True when the path carried `/namespaces/<ns>/`. */
  readonly namespacedPath: boolean;
  readonly resource: string;
  readonly name: string;
  readonly subresource: string;
}

export type DiscoveryRequest =
  | { readonly kind: 'api' }
  | { readonly kind: 'apis' }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'groupVersion'; readonly group: string; readonly version: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'health' }
  | { readonly kind: 'oidc'; readonly document: 'discovery' | 'jwks' };

export type RequestInfo = ResourceRequest | DiscoveryRequest | { readonly kind: 'unknown' };

const namespaceSubresources = new Set(['status', 'finalize']);

export function resolveRequestInfo(path: string): RequestInfo {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (parts.length === 0) return { kind: 'unknown' };
  const [head, ...rest] = parts;
  if (head === 'version' && rest.length === 0) return { kind: 'version' };
  if ((head === 'healthz' || head === 'livez' || head === 'readyz') && rest.length <= 1)
    return { kind: 'health' };
  if (head === '.well-known' && rest[0] === 'openid-configuration')
    return { kind: 'oidc', document: 'discovery' };
  if (head === 'openid' && rest[0] === 'v1' && rest[1] === 'jwks') return { kind: 'oidc', document: 'jwks' };
  let group: string;
  let version: string;
  let tail: string[];
  if (head === 'api') {
    if (rest.length === 0) return { kind: 'api' };
    group = '';
    version = rest[0] ?? '';
    tail = rest.slice(1);
  } else if (head === 'apis') {
    if (rest.length === 0) return { kind: 'apis' };
    if (rest.length === 1) return { kind: 'group', group: rest[0] ?? '' };
    group = rest[0] ?? '';
    version = rest[1] ?? '';
    tail = rest.slice(2);
  } else {
    return { kind: 'unknown' };
  }
  if (tail.length === 0) return { kind: 'groupVersion', group, version };
  let namespace = '';
  let namespacedPath = false;
  if (tail[0] === 'namespaces' && tail.length > 2 && !namespaceSubresources.has(tail[2] ?? '')) {
    namespace = tail[1] ?? '';
    namespacedPath = true;
    tail = tail.slice(2);
  }
  if (tail.length > 3) return { kind: 'unknown' };
  return {
    kind: 'resource',
    group,
    version,
    namespace,
    namespacedPath,
    resource: tail[0] ?? '',
    name: tail[1] ?? '',
    subresource: tail[2] ?? '',
  };
}
