import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietTimers, startTestHost, type TestHost } from './helpers.js';

let host: TestHost;
beforeAll(async () => {
  host = await startTestHost('http-app', quietTimers);
});
afterAll(async () => {
  await host?.stop();
});

const clusterId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-prod-1';

function armEvent(data: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    topic: '/subscriptions/00000000-0000-0000-0000-000000000000',
    subject: clusterId,
    eventType: 'Microsoft.Resources.ResourceWriteSuccess',
    eventTime: '2026-11-20T10:15:03.1234567Z',
    data: {
      operationName: 'Microsoft.ContainerService/managedClusters/write',
      resourceUri: clusterId,
      ...data,
    },
    dataVersion: '2',
    metadataVersion: '1',
  };
}

function webhook(query: Record<string, string>): string {
  const params = new URLSearchParams({ code: host.keys.systemKeys['eventgrid_extension'] ?? '', ...query });
  return `${host.url}/runtime/webhooks/eventgrid?${params.toString()}`;
}

async function deliver(
  body: unknown,
  headers: Record<string, string> = { 'aeg-event-type': 'Notification' },
) {
  return await fetch(webhook({ functionName: 'armEvents' }), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function seenEventIds(): Promise<string[]> {
  const state = (await (await fetch(`${host.url}/api/state`)).json()) as { events: { id: string }[] };
  return state.events.map((e) => e.id);
}

describe('the Event Grid webhook of the local host', () => {
  it('answers the SubscriptionValidation handshake with the validation code', async () => {
    const validation = {
      id: randomUUID(),
      topic: '/subscriptions/00000000-0000-0000-0000-000000000000',
      subject: '',
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: '2026-11-20T10:15:03Z',
      data: {
        validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
        validationUrl: 'https://rp.example/validate',
      },
      dataVersion: '2',
      metadataVersion: '1',
    };
    const response = await deliver([validation], { 'aeg-event-type': 'SubscriptionValidation' });
    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text())).toEqual({
      validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    });
    expect(await seenEventIds()).not.toContain(validation.id);
  });

  it.each([
    ['an Event Grid origin', 'eventgrid.azure.us', 'eventgrid.azure.us'],
    ['an unknown origin', 'example.com', 'eventgrid.azure.net'],
  ])('answers the CloudEvents OPTIONS handshake from %s', async (_name, origin, allowed) => {
    const response = await fetch(webhook({ functionName: 'armEvents' }), {
      method: 'OPTIONS',
      headers: { 'webhook-request-origin': origin },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('webhook-allowed-origin')).toBe(allowed);
  });

  it('invokes the function once per event and answers 202 when all succeed', async () => {
    const events = [armEvent(), armEvent()];
    const response = await deliver(events);
    expect(response.status).toBe(202);
    expect(await seenEventIds()).toEqual(expect.arrayContaining(events.map((e) => e.id)));
  });

  it('answers 500 when any event of the batch fails, after invoking every event', async () => {
    const events = [armEvent(), armEvent({ fail: true }), armEvent()];
    const response = await deliver(events);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain(`failing event ${events[1]?.id}`);
    expect(await seenEventIds()).toEqual(expect.arrayContaining(events.map((e) => e.id)));
  });

  it('accepts a single CloudEvents 1.0 event', async () => {
    const cloudEvent = {
      specversion: '1.0',
      id: randomUUID(),
      source: '/subscriptions/00000000-0000-0000-0000-000000000000',
      subject: clusterId,
      type: 'Microsoft.Resources.ResourceWriteSuccess',
      time: '2026-11-20T10:15:03Z',
      data: { resourceUri: clusterId },
    };
    const response = await deliver(cloudEvent, {
      'aeg-event-type': 'Notification',
      'content-type': 'application/cloudevents+json; charset=utf-8',
    });
    expect(response.status).toBe(202);
    const state = (await (await fetch(`${host.url}/api/state`)).json()) as {
      events: { id: string; triggerData: unknown }[];
    };
    expect(state.events.find((e) => e.id === cloudEvent.id)?.triggerData).toEqual({ resourceUri: clusterId });
  });

  it.each([
    ['an unknown function', { functionName: 'nope' }, { 'aeg-event-type': 'Notification' }, 404],
    ['no functionName', {}, { 'aeg-event-type': 'Notification' }, 404],
    ['Unsubscribe', { functionName: 'armEvents' }, { 'aeg-event-type': 'Unsubscribe' }, 202],
    ['no aeg-event-type header', { functionName: 'armEvents' }, {}, 400],
    ['no key', { functionName: 'armEvents', code: '' }, { 'aeg-event-type': 'Notification' }, 401],
    [
      'a function key',
      { functionName: 'armEvents', code: '{function}' },
      { 'aeg-event-type': 'Notification' },
      401,
    ],
    [
      'the master key',
      { functionName: 'armEvents', code: '{master}' },
      { 'aeg-event-type': 'Notification' },
      202,
    ],
  ])('answers %s', async (_name, query: Record<string, string>, headers, status) => {
    const filled = Object.fromEntries(
      Object.entries(query).map(([k, v]) => [
        k,
        v
          .replace('{function}', host.keys.functionKeys['default'] ?? '')
          .replace('{master}', host.keys.masterKey),
      ]),
    );
    const response = await fetch(webhook(filled), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify([armEvent()]),
    });
    expect(response.status).toBe(status);
  });
});
