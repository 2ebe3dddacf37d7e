/**
 * Event Grid trigger `armEvents` (the name ADR 0060's event subscriptions point at): one ARM event
 * per invocation, Event Grid schema or CloudEvents 1.0. Returns normally for an event that is
 * handled, ignored or malformed (a malformed event is logged with the reason: Event Grid must not
 * retry it for 24 hours); throws when storage fails, so Event Grid delivers the event again.
 */
import { app, type InvocationContext } from '@azure/functions';
import { type EventDeps, type EventOutcome, handleArmEvent } from '../shared/events/handle-event.js';
import { eventDependencies } from '../shared/runtime/event-dependencies.js';
import { createLogger } from '../shared/runtime/logger.js';

export function createArmEventsHandler(
  deps: () => EventDeps,
): (event: unknown, context: InvocationContext) => Promise<EventOutcome> {
  return async (event, context) =>
    await handleArmEvent(event, deps, createLogger(context, { function: 'armEvents' }));
}

export const armEvents = createArmEventsHandler(eventDependencies);

app.eventGrid<unknown>('armEvents', { handler: armEvents });
