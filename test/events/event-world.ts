/**
 * The `armEvents` handler over real Azure Storage (Azurite): its own tables and queue per call, a
 * clock the test sets, and an InvocationContext whose log lines are kept.
 */
import { randomUUID } from 'node:crypto';
import functions from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { createArmEventsHandler } from '../../functions/arm-events.js';
import type { EventDeps, EventOutcome } from '../../shared/events/handle-event.js';
import type { StorageSettings } from '../../shared/runtime/settings.js';
import type { DependencyIndex } from '../../shared/store/dependency-index.js';
import { createStorageEventGate } from '../../shared/store/event-dedupe.js';
import { createStorageDependencyIndex } from '../../shared/store/table-dependency-index.js';
import { createStorageWorkQueue } from '../../shared/store/work-queue.js';

let counter = 0;
/** A name unique in this process, valid for tables (letters and digits) and queues. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}`;
}

export function dependencyIndexOn(storage: StorageSettings): DependencyIndex {
  return createStorageDependencyIndex(storage, {
    dependents: uniqueName('dependents'),
    dependencies: uniqueName('dependencies'),
  });
}

export interface EventBench {
  readonly queue: QueueClient;
  readonly logs: string[];
  /** Runs the real handler with the clock at `at`. */
  deliver(event: unknown, at?: Date): Promise<EventOutcome>;
  /** Messages on the queue, visible or not (Azurite counts exactly). */
  count(): Promise<number>;
}

export function eventBench(
  connectionString: string,
  storage: StorageSettings,
  dependencies: DependencyIndex,
  options: { windowMs?: number; queueName?: string; dedupeTable?: string } = {},
): EventBench {
  const queueName = options.queueName ?? uniqueName('reconcile').toLowerCase();
  const gate = createStorageEventGate(storage, options.dedupeTable ?? uniqueName('dedupe'));
  const queue = createStorageWorkQueue(storage, queueName);
  const logs: string[] = [];
  const client = new QueueClient(connectionString, queueName);
  return {
    queue: client,
    logs,
    async deliver(event, at = new Date()) {
      const deps: EventDeps = {
        dependencies,
        gate,
        queue,
        windowMs: options.windowMs ?? 15_000,
        clock: () => at,
      };
      const context = new functions.InvocationContext({
        invocationId: randomUUID(),
        functionName: 'armEvents',
        logHandler: (level, ...args) =>
          logs.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
      });
      return await createArmEventsHandler(() => deps)(event, context);
    },
    async count() {
      if (!(await client.exists())) return 0;
      return (await client.getProperties()).approximateMessagesCount ?? 0;
    },
  };
}
