/**
 * The reconcile work item (docs/architecture.md "Work items and queues"): only the cluster key,
 * never a payload to trust. Queue messages are base64 JSON because host.json sets
 * `messageEncoding: base64`; the queue trigger receives the decoded JSON.
 */
import { sourceFromId } from './source.js';

export type WorkCause = 'api' | 'event' | 'sweep' | 'template' | 'repair';

export const workCauses: readonly WorkCause[] = ['api', 'event', 'sweep', 'template', 'repair'];

export interface WorkItem {
  readonly v: 1;
  readonly clusterId: string;
  readonly cause: WorkCause;
  readonly requestedAt: string;
}

export function workItem(clusterId: string, cause: WorkCause, now: Date): WorkItem {
  return { v: 1, clusterId, cause, requestedAt: now.toISOString() };
}

/** The message text to put on the queue. */
export function encodeWorkItem(item: WorkItem): string {
  return Buffer.from(JSON.stringify(item), 'utf8').toString('base64');
}

/**
 * A work item from what a queue trigger hands over: the decoded object, its JSON text, or the raw
 * base64 text. Undefined when it is not a valid item (the trigger acknowledges and reports it).
 */
export function parseWorkItem(payload: unknown): WorkItem | undefined {
  let value: unknown = payload;
  if (typeof value === 'string') value = parseText(value);
  if (typeof value !== 'object' || value === null) return undefined;
  const item = value as Partial<Record<keyof WorkItem, unknown>>;
  if (item.v !== 1 || typeof item.clusterId !== 'string' || typeof item.requestedAt !== 'string')
    return undefined;
  if (!workCauses.includes(item.cause as WorkCause) || Number.isNaN(Date.parse(item.requestedAt)))
    return undefined;
  if (sourceFromId(item.clusterId) === undefined) return undefined;
  return { v: 1, clusterId: item.clusterId, cause: item.cause as WorkCause, requestedAt: item.requestedAt };
}

function parseText(text: string): unknown {
  const attempts = [text, Buffer.from(text, 'base64').toString('utf8')];
  for (const attempt of attempts) {
    try {
      return JSON.parse(attempt) as unknown;
    } catch {
      // try the next form
    }
  }
  return undefined;
}
