/**
 * Event Grid's side of a webhook subscription (research functions-eventgrid.md §2.5-2.6): the
 * validation handshake when the subscription is configured, then one event per request (still an
 * array for the Event Grid schema), header `aeg-event-type: Notification`, success = 200-204,
 * retries with Event Grid's backoff (10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, then hourly,
 * on emulated time) except for 400/401/403/413, which are dropped. Every event is also kept in an
 * in-memory log that tests query.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { EventGridDelivery } from '../../world/contracts.js';
import { type CloudEvent, type EventGridEvent, toCloudEvent } from './event-builder.js';
import { send } from './http-post.js';

export interface EventDeliveryOptions extends EventGridDelivery {
  /** Only these event types are delivered (Event Grid `includedEventTypes`). */
  readonly includedEventTypes?: readonly string[];
  /** Case-insensitive subject prefix filter (Event Grid `subjectBeginsWith`). */
  readonly subjectBeginsWith?: string;
  /** Delivery attempts before giving up (Event Grid default 30). */
  readonly maxDeliveryAttempts?: number;
  /** Skip the validation handshake (a delivery target known to be validated already). */
  readonly skipValidation?: boolean;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dropped' | 'filtered' | 'undelivered';

export interface EventRecord {
  readonly event: EventGridEvent;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | undefined;
  lastError: string | undefined;
}

const retryScheduleSeconds = [10, 30, 60, 300, 600, 1800, 3600];
const notRetried = new Set([400, 401, 403, 413]);

export class EventDelivery {
  private target: EventDeliveryOptions | undefined;
  private readonly records: EventRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly caPem: string | undefined,
  ) {}

  get configured(): EventDeliveryOptions | undefined {
    return this.target;
  }

  /** Sets (or clears) the delivery target; performs the validation handshake first, as Event Grid does. */
  async configure(target: EventDeliveryOptions | undefined): Promise<void> {
    if (target !== undefined && target.skipValidation !== true) await this.validate(target);
    this.target = target;
  }

  publish(event: EventGridEvent): EventRecord {
    const record: EventRecord = {
      event,
      status: 'pending',
      attempts: 0,
      lastStatusCode: undefined,
      lastError: undefined,
    };
    this.records.push(record);
    const target = this.target;
    if (target === undefined || this.closed) {
      record.status = 'undelivered';
      return record;
    }
    if (!this.passes(target, event)) {
      record.status = 'filtered';
      return record;
    }
    const run = this.deliver(target, record).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return record;
  }

  log(): readonly EventRecord[] {
    return this.records;
  }

  clear(): void {
    this.records.length = 0;
  }

  /** Resolves when every delivery started so far has settled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
  }

  private passes(target: EventDeliveryOptions, event: EventGridEvent): boolean {
    if (target.includedEventTypes !== undefined && !target.includedEventTypes.includes(event.eventType))
      return false;
    if (
      target.subjectBeginsWith !== undefined &&
      !event.subject.toLowerCase().startsWith(target.subjectBeginsWith.toLowerCase())
    )
      return false;
    return true;
  }

  private async deliver(target: EventDeliveryOptions, record: EventRecord): Promise<void> {
    const maxAttempts = target.maxDeliveryAttempts ?? 30;
    const cloud = target.schema === 'CloudEventSchemaV1_0';
    const payload: EventGridEvent[] | CloudEvent = cloud ? toCloudEvent(record.event) : [record.event];
    while (!this.closed && record.attempts < maxAttempts) {
      record.attempts += 1;
      try {
        const res = await send('POST', target.url, {
          body: JSON.stringify(payload),
          headers: {
            'content-type': cloud
              ? 'application/cloudevents+json; charset=utf-8'
              : 'application/json; charset=utf-8',
            'aeg-event-type': 'Notification',
            'aeg-subscription-name': 'ARM-EMULATOR-EVENTS',
            'aeg-delivery-count': String(record.attempts - 1),
            'aeg-data-version': record.event.dataVersion,
            'aeg-metadata-version': record.event.metadataVersion,
          },
          ...(this.caPem === undefined ? {} : { caPem: this.caPem }),
          timeoutMs: 30_000,
        });
        record.lastStatusCode = res.status;
        if (res.status >= 200 && res.status <= 204) {
          record.status = 'delivered';
          return;
        }
        if (notRetried.has(res.status)) {
          record.status = 'dropped';
          return;
        }
      } catch (error) {
        record.lastError = (error as Error).message;
      }
      const wait = retryScheduleSeconds[record.attempts - 1] ?? 3600;
      await this.clock.sleep(this.clock.realMs(wait));
    }
    if (record.status === 'pending') record.status = 'dropped';
  }

  private async validate(target: EventDeliveryOptions): Promise<void> {
    const ca = this.caPem === undefined ? {} : { caPem: this.caPem };
    if (target.schema === 'CloudEventSchemaV1_0') {
      const res = await send('OPTIONS', target.url, {
        headers: { 'webhook-request-origin': 'eventgrid.azure.net' },
        ...ca,
        timeoutMs: 30_000,
      });
      const allowed = String(res.headers['webhook-allowed-origin'] ?? '');
      if (res.status !== 200 || (allowed !== '*' && allowed.toLowerCase() !== 'eventgrid.azure.net')) {
        throw new Error(
          `CloudEvents validation handshake failed: HTTP ${res.status}, WebHook-Allowed-Origin '${allowed}'`,
        );
      }
      return;
    }
    const validationCode = randomUUID();
    const event = {
      id: randomUUID(),
      topic: '/subscriptions/00000000-0000-0000-0000-000000000000',
      subject: '',
      data: {
        validationCode,
        validationUrl: `https://rp-eastus.eventgrid.azure.net:553/eventsubscriptions/arm-emulator/validate?id=${validationCode}`,
      },
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: new Date().toISOString(),
      metadataVersion: '1',
      dataVersion: '1',
    };
    const res = await send('POST', target.url, {
      body: JSON.stringify([event]),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'aeg-event-type': 'SubscriptionValidation',
        'aeg-subscription-name': 'ARM-EMULATOR-EVENTS',
        'aeg-delivery-count': '0',
        'aeg-data-version': '1',
        'aeg-metadata-version': '1',
      },
      ...ca,
      timeoutMs: 30_000,
    });
    let response: unknown;
    try {
      response = JSON.parse(res.body);
    } catch {
      response = undefined;
    }
    const code = (response as { validationResponse?: unknown } | undefined)?.validationResponse;
    if (res.status !== 200 || code !== validationCode) {
      throw new Error(
        `Event Grid validation handshake failed: HTTP ${res.status} (200 with {"validationResponse": "<code>"} is required)`,
      );
    }
  }
}
