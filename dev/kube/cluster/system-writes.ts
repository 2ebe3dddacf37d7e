import { randomBytes, randomUUID } from 'node:crypto';
import type { ResourceType } from '../api/resource-type.js';
import { events } from '../api/types-core-workloads.js';
import { child, type JsonObject } from '../core/json.js';
import { nameOf, namespaceOf, uidOf } from '../core/meta.js';
import type { ClusterCore } from './core.js';

/**
 * Writes that real clusters make through components without admission (bootstrap objects,
 * the scheduler's binding, events): straight to storage, with a resourceVersion and a change
 * notification so controllers see them.
 */
export function systemCreate(core: ClusterCore, type: ResourceType, o: JsonObject): JsonObject {
  const meta = child(o, 'metadata');
  meta.uid ??= randomUUID();
  meta.creationTimestamp ??= core.now();
  if (type.tracksGeneration) meta.generation ??= 1;
  meta.resourceVersion = core.store.nextResourceVersion();
  core.store.put(type, o);
  core.afterWrite({ type: 'ADDED', resource: type, object: o });
  return o;
}

export function systemUpdate(core: ClusterCore, type: ResourceType, o: JsonObject): JsonObject {
  const old = core.store.get(type, namespaceOf(o), nameOf(o));
  child(o, 'metadata').resourceVersion = core.store.nextResourceVersion();
  core.store.put(type, o);
  core.afterWrite(
    old === undefined
      ? { type: 'ADDED', resource: type, object: o }
      : { type: 'MODIFIED', resource: type, object: o, old },
  );
  return o;
}

/** A core/v1 Event about `about`, as a controller's event recorder writes it. */
export function recordEvent(
  core: ClusterCore,
  about: JsonObject,
  component: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  const namespace = namespaceOf(about) === '' ? 'default' : namespaceOf(about);
  const now = core.now();
  systemCreate(core, events, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${nameOf(about)}.${randomBytes(8).toString('hex')}`, namespace },
    involvedObject: {
      kind: typeof about.kind === 'string' ? about.kind : '',
      namespace: namespaceOf(about),
      name: nameOf(about),
      uid: uidOf(about),
      apiVersion: typeof about.apiVersion === 'string' ? about.apiVersion : '',
      resourceVersion:
        typeof child(about, 'metadata').resourceVersion === 'string'
          ? (child(about, 'metadata').resourceVersion as string)
          : '',
    },
    reason,
    message,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  });
}
