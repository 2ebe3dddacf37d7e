/**
 * Storage queue triggers with the storage extension's semantics (QueueListener, QueueProcessor):
 * messages are fetched `batchSize` at a time with a 10-minute visibility that is renewed halfway
 * while a function runs; the next batch is fetched once in-flight messages drop to
 * `newBatchThreshold`; an empty queue backs off (randomized, exponential, 100 ms up to
 * `maxPollingInterval`) unless an output binding of this host writes to the queue. A message is
 * deleted when its invocation succeeds; a failure makes it visible again after
 * `visibilityTimeout`, and once its dequeue count reaches `maxDequeueCount` it is copied (still
 * encoded) to `<queue>-poison` and deleted. A message that is not valid base64 under
 * `messageEncoding: base64` goes straight to the poison queue.
 */
import { randomUUID } from 'node:crypto';
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { AppSettings } from './app-settings.js';
import type { RegisteredFunction } from './core-api.js';
import type { RpcTypedData } from './core-types.js';
import type { QueueOptions } from './host-json.js';
import type { TriggerInput } from './invoke.js';
import type { HostLog } from './log.js';
import { queueNameOf } from './outputs.js';
import type { QueueConnections } from './queue-connection.js';

/** The visibility a fetched message gets; renewed halfway while its function runs. */
const fetchVisibilitySeconds = 600;
const minimumPollMs = 100;

export interface QueueListener {
  readonly functionName: string;
  readonly queueName: string;
  /** Poll now (a message was just written to this queue by this host). */
  notify(): void;
  stop(): Promise<void>;
}

export interface QueueDeps {
  readonly settings: AppSettings;
  readonly queues: QueueConnections;
  readonly options: QueueOptions;
  readonly invoke: (fn: RegisteredFunction, input: TriggerInput) => Promise<unknown>;
  readonly log: HostLog;
  /** Wakes the listener of the poison queue, if this host has one. */
  readonly notifyQueue: (queueName: string) => void;
}

export function decodeMessage(text: string, encoding: QueueOptions['messageEncoding']): string | undefined {
  if (encoding === 'none') return text;
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

function timeData(date: Date | undefined): RpcTypedData {
  return { json: JSON.stringify((date ?? new Date()).toISOString()) };
}

export function queueInput(
  fn: RegisteredFunction,
  queueName: string,
  message: DequeuedMessageItem,
  text: string,
): TriggerInput {
  return {
    reason: `New queue message detected on '${queueName}'.`,
    data: { string: text },
    triggerMetadata: {
      DequeueCount: { int: message.dequeueCount },
      ExpirationTime: timeData(message.expiresOn),
      Id: { string: message.messageId },
      InsertionTime: timeData(message.insertedOn),
      NextVisibleTime: timeData(message.nextVisibleOn),
      PopReceipt: { string: message.popReceipt },
      QueueTrigger: { string: text },
      sys: {
        json: JSON.stringify({
          MethodName: fn.name,
          UtcNow: new Date().toISOString(),
          RandGuid: randomUUID(),
        }),
      },
    },
  };
}

/** Delete/update races (message gone, pop receipt changed) are not errors for the listener. */
function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 404 || status === 400;
}

export function startQueueListener(fn: RegisteredFunction, deps: QueueDeps): QueueListener {
  const { options, log } = deps;
  const what = `Queue function '${fn.name}'`;
  const queueName = queueNameOf(fn.trigger, deps.settings, what);
  const queue = deps.queues.queue(fn.trigger['connection'], queueName);
  const poisonName = `${queueName}-poison`;
  const poison =
    queueName.endsWith('-poison') || poisonName.length > 63
      ? undefined
      : deps.queues.queue(fn.trigger['connection'], poisonName);
  const processing = new Set<Promise<void>>();
  let running = true;
  let wake: (() => void) | undefined;
  let backoffMs = minimumPollMs;
  let failingSince: number | undefined;

  async function moveToPoison(message: DequeuedMessageItem, why: string): Promise<void> {
    if (poison === undefined) return;
    log.host('warning', `${why} Moving message '${message.messageId}' to queue '${poisonName}'.`);
    await deps.queues.ensureExists(poison);
    await poison.sendMessage(message.messageText);
    await queue.deleteMessage(message.messageId, message.popReceipt).catch((e: unknown) => {
      if (!isGone(e)) throw e;
    });
    deps.notifyQueue(poisonName);
  }

  async function handleMessage(message: DequeuedMessageItem): Promise<void> {
    if (message.dequeueCount > options.maxDequeueCount) {
      return await moveToPoison(
        message,
        `Message has reached MaxDequeueCount of ${options.maxDequeueCount}.`,
      );
    }
    const text = decodeMessage(message.messageText, options.messageEncoding);
    if (text === undefined) {
      return await moveToPoison(
        message,
        `Message is not valid base64 (host.json messageEncoding is "base64").`,
      );
    }
    let popReceipt = message.popReceipt;
    const renew = setInterval(
      () => {
        queue
          .updateMessage(message.messageId, popReceipt, undefined, fetchVisibilitySeconds)
          .then((r) => (popReceipt = r.popReceipt ?? popReceipt))
          .catch(() => undefined);
      },
      (fetchVisibilitySeconds * 1000) / 2,
    );
    let succeeded = false;
    try {
      await deps.invoke(fn, queueInput(fn, queueName, message, text));
      succeeded = true;
    } catch {
      // Logged by the invocation; the message is released or poisoned below.
    } finally {
      clearInterval(renew);
    }
    const current = { ...message, popReceipt };
    if (succeeded) {
      await queue.deleteMessage(message.messageId, popReceipt).catch((e: unknown) => {
        if (!isGone(e)) throw e;
      });
    } else if (poison === undefined) {
      // Without a poison queue the message stays invisible, as the extension does, to avoid a hot loop.
    } else if (message.dequeueCount >= options.maxDequeueCount) {
      await moveToPoison(current, `Message has reached MaxDequeueCount of ${options.maxDequeueCount}.`);
    } else {
      const seconds = Math.round(options.visibilityTimeoutMs / 1000);
      await queue.updateMessage(message.messageId, popReceipt, undefined, seconds).catch((e: unknown) => {
        if (!isGone(e)) throw e;
      });
    }
  }

  function track(message: DequeuedMessageItem): void {
    const task = handleMessage(message).catch((error: unknown) =>
      log.host('error', `${what}: could not complete message '${message.messageId}': ${String(error)}`),
    );
    processing.add(task);
    void task.finally(() => processing.delete(task));
  }

  function nextBackoff(): number {
    const jitter = 0.8 + Math.random() * 0.4;
    const delay = Math.min(options.maxPollingIntervalMs, backoffMs * jitter);
    backoffMs = Math.min(options.maxPollingIntervalMs, backoffMs * 2);
    return delay;
  }

  async function sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function poll(queueClient: QueueClient): Promise<number> {
    if (!(await queueClient.exists())) return 0;
    const { receivedMessageItems } = await queueClient.receiveMessages({
      numberOfMessages: options.batchSize,
      visibilityTimeout: fetchVisibilitySeconds,
    });
    receivedMessageItems.forEach(track);
    return receivedMessageItems.length;
  }

  const loop = (async () => {
    while (running) {
      let found = 0;
      try {
        found = await poll(queue);
        if (failingSince !== undefined)
          log.host('information', `${what}: queue '${queueName}' reachable again`);
        failingSince = undefined;
      } catch (error) {
        if (failingSince === undefined)
          log.host('warning', `${what}: polling '${queueName}' failed: ${String(error)}`);
        failingSince ??= Date.now();
      }
      if (!running) break;
      if (found > 0) {
        backoffMs = minimumPollMs;
        while (processing.size > options.newBatchThreshold) await Promise.race(processing);
      } else {
        await sleep(nextBackoff());
      }
    }
  })();

  log.host('information', `Queue '${fn.name}' listening on '${queueName}'`);
  return {
    functionName: fn.name,
    queueName,
    notify() {
      backoffMs = minimumPollMs;
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await Promise.allSettled([...processing]);
    },
  };
}
