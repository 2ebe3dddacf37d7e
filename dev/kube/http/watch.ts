import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, type ResourceType } from '../api/resource-type.js';
import type { JsonObject } from '../core/json.js';
import { labelsOf, nameOf, namespaceOf, resourceVersionOf } from '../core/meta.js';
import type { EmulatedCluster } from '../cluster/emulated-cluster.js';
import { parseFieldSelector, parseLabelSelector, requirementMatches } from '../store/label-selector-match.js';

export interface WatchQuery {
  readonly namespace: string;
  readonly resourceVersion: string;
  readonly labelSelector: string;
  readonly fieldSelector: string;
  readonly timeoutSeconds?: number;
}

/**
 * WATCH as a stream of newline-delimited `{type, object}` events. Without a resourceVersion (or
 * with "0") the current objects come first as ADDED, then every later change that matches the
 * namespace and selectors; the stream ends after `timeoutSeconds` or when the client leaves.
 */
export function serveWatch(
  cluster: EmulatedCluster,
  type: ResourceType,
  query: WatchQuery,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const labels = query.labelSelector === '' ? [] : parseLabelSelector(query.labelSelector);
  const fields = query.fieldSelector === '' ? [] : parseFieldSelector(query.fieldSelector);
  const matches = (o: JsonObject): boolean =>
    (query.namespace === '' || namespaceOf(o) === query.namespace) &&
    labels.every((r) => requirementMatches(r, labelsOf(o))) &&
    fields.every((f) => {
      const value =
        f.field === 'metadata.name'
          ? nameOf(o)
          : f.field === 'metadata.namespace'
            ? namespaceOf(o)
            : (type.fieldSelectors?.[f.field]?.(o) ?? '');
      return (value === f.value) !== f.negate;
    });
  const send = (eventType: string, o: JsonObject): void => {
    const object = { ...structuredClone(o), apiVersion: apiVersionOf(type), kind: type.kind };
    res.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  if (query.resourceVersion === '' || query.resourceVersion === '0') {
    for (const o of cluster.store.list(type, query.namespace === '' ? undefined : query.namespace))
      if (matches(o)) send('ADDED', o);
  }
  const since = Number(query.resourceVersion || '0');
  const unsubscribe = cluster.subscribe((change) => {
    if (change.resource.group !== type.group || change.resource.resource !== type.resource) return;
    if (change.type !== 'DELETED' && Number(resourceVersionOf(change.object)) <= since) return;
    if (matches(change.object)) send(change.type, change.object);
  });
  const finish = (): void => {
    unsubscribe();
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(finish, (query.timeoutSeconds ?? 1800) * 1000);
  timer.unref();
  req.on('close', finish);
}
