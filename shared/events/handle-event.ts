/**
 * The `armEvents` core: one ARM event in, work items out (DESIGN "Runtime flow" 1). It validates the
 * event, decides what it means without I/O, looks up dependents in the dependency index when the
 * event is about a resource clusters use, and admits one reconcile per cluster and dedupe window
 * (ADR 0090). Nothing slow: Event Grid waits 30 s for the answer.
 *
 * Outcomes map to the trigger's semantics: a malformed or foreign event is acknowledged (logged
 * with the reason, never retried for 24 hours); a storage failure is thrown so Event Grid retries
 * the event, and a retried event whose claim was never marked enqueued enqueues again.
 */
import { sourceFromId } from '../model/source.js';
import { workItem } from '../model/work-item.js';
import type { Logger } from '../runtime/logger.js';
import type { DependencyIndex } from '../store/dependency-index.js';
import { armIdKey } from '../util/arm-id.js';
import { parseArmEvent } from './arm-event.js';
import { type EventMeaning, meaningOf } from './meaning.js';
import type { DelayedEnqueue, EventGate } from './ports.js';
import { windowAt } from './window.js';

export interface EventDeps {
  readonly dependencies: Pick<DependencyIndex, 'clustersDependingOn'>;
  readonly gate: EventGate;
  readonly queue: DelayedEnqueue;
  readonly windowMs: number;
  readonly clock: () => Date;
}

export type EventOutcome =
  | { readonly outcome: 'malformed'; readonly reason: string }
  | { readonly outcome: 'ignored'; readonly why: string }
  | {
      readonly outcome: 'handled';
      readonly why: string;
      /** Clusters whose reconcile this event enqueued. */
      readonly enqueued: readonly string[];
      /** Clusters whose reconcile is already due after this window (ADR 0090). */
      readonly coalesced: readonly string[];
    };

/** The clusters an event is about, deduplicated case-insensitively (first spelling kept). */
async function clustersOf(
  meaning: Extract<EventMeaning, { action: 'clusters' | 'dependents' }>,
  dependencies: EventDeps['dependencies'],
): Promise<string[]> {
  let ids: readonly string[];
  if (meaning.action === 'clusters') {
    ids = meaning.clusterIds;
  } else {
    const found = await Promise.all(
      meaning.lookups.map(async (lookup) =>
        (await dependencies.clustersDependingOn(lookup.resourceId))
          .filter((d) => lookup.roles.includes(d.role))
          .map((d) => d.clusterId),
      ),
    );
    ids = found.flat();
  }
  const byKey = new Map<string, string>();
  for (const id of ids) {
    // The index only ever records clusters; a row that names something else is not work.
    if (sourceFromId(id) !== undefined && !byKey.has(armIdKey(id))) byKey.set(armIdKey(id), id);
  }
  return [...byKey.values()];
}

/**
 * `deps` is called only for an event that needs work, so an event we ignore costs no I/O and does
 * not even need the storage settings.
 */
export async function handleArmEvent(
  raw: unknown,
  getDeps: () => EventDeps,
  logger: Logger,
): Promise<EventOutcome> {
  const parsed = await parseArmEvent(raw);
  if (parsed.outcome === 'malformed') {
    // The reason and id only: the event's claims and httpRequest hold personal data.
    logger.warn('Malformed event acknowledged without retry', { eventId: parsed.id, reason: parsed.reason });
    return { outcome: 'malformed', reason: parsed.reason };
  }
  if (parsed.outcome === 'foreign') {
    logger.debug('Event type not followed', { eventId: parsed.id, eventType: parsed.eventType });
    return { outcome: 'ignored', why: `event type ${parsed.eventType} is not followed` };
  }
  const event = parsed.event;
  const meaning = meaningOf(event);
  const about = { eventId: event.id, operationName: event.operationName, resourceUri: event.resourceUri };
  if (meaning.action === 'ignore') {
    logger.debug('Event ignored', { ...about, why: meaning.why });
    return { outcome: 'ignored', why: meaning.why };
  }
  const deps = getDeps();
  const clusters = await clustersOf(meaning, deps.dependencies);
  const now = deps.clock();
  const window = windowAt(now, deps.windowMs);
  const enqueued: string[] = [];
  const coalesced: string[] = [];
  await Promise.all(
    clusters.map(async (clusterId) => {
      const slot = { clusterId, window: window.id, eventId: event.id, at: now };
      if ((await deps.gate.claim(slot)) === 'coalesced') {
        coalesced.push(clusterId);
        return;
      }
      // Visible when the window closes, so the reconcile reads the state after the whole burst.
      await deps.queue.enqueueAfter(
        workItem(clusterId, 'event', now),
        window.endsAt.getTime() - now.getTime(),
      );
      await deps.gate.markEnqueued(slot);
      enqueued.push(clusterId);
    }),
  );
  logger.info('Event handled', { ...about, why: meaning.why, enqueued, coalesced: coalesced.length });
  return { outcome: 'handled', why: meaning.why, enqueued, coalesced };
}
