import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventGridDeserializer, isSystemEvent } from '@azure/eventgrid';
import { StorageManagementClient } from '@azure/arm-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import {
  clientOptions,
  eventually,
  location,
  poll,
  resourceGroup,
  startTestEmulator,
  subscriptionId,
  uniqueName,
} from './helpers.js';

interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

/** A webhook endpoint as the Functions host's Event Grid route behaves: handshake, then 202s. */
async function startReceiver(options: { failFirst?: number } = {}) {
  const received: Received[] = [];
  let failures = options.failFirst ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'OPTIONS') {
        res
          .writeHead(200, { 'webhook-allowed-origin': String(req.headers['webhook-request-origin'] ?? '') })
          .end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      received.push({ headers: req.headers, body });
      if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
        const code = (body as { data: { validationCode: string } }[])[0]?.data.validationCode;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ validationResponse: code }));
        return;
      }
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500).end();
        return;
      }
      res.writeHead(202).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/runtime/webhooks/eventgrid?functionName=armEvents`,
    received,
    notifications: () => received.filter((r) => r.headers['aeg-event-type'] === 'Notification'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let emulator: ArmEmulator;
let storage: StorageManagementClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  storage = new StorageManagementClient(emulator.credential(), subscriptionId, clientOptions(emulator));
});
afterAll(async () => await emulator?.close());

describe('ARM events to an Event Grid webhook', () => {
  it('validates the endpoint, then delivers write, action and delete events in the Event Grid schema', async () => {
    const receiver = await startReceiver();
    try {
      await emulator.setEventDelivery({ url: receiver.url });
      expect(receiver.received[0]?.headers['aeg-event-type']).toBe('SubscriptionValidation');
      const name = uniqueName('st');
      const account = await storage.storageAccounts.create(
        resourceGroup,
        name,
        { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
        poll,
      );
      await storage.storageAccounts.update(resourceGroup, name, { tags: { a: 'b' } });
      await storage.storageAccounts.listKeys(resourceGroup, name);
      await storage.storageAccounts.delete(resourceGroup, name);
      const deliveries = await eventually(() =>
        receiver.notifications().length >= 4 ? receiver.notifications() : undefined,
      );
      const events = await Promise.all(
        deliveries.map((d) =>
          new EventGridDeserializer().deserializeEventGridEvents(d.body as Record<string, unknown>),
        ),
      );
      expect(events.every((batch) => batch.length === 1)).toBe(true);
      const [create, update, action, remove] = events.map((batch) => batch[0]);
      expect(create?.eventType).toBe('Microsoft.Resources.ResourceWriteSuccess');
      expect(create?.subject).toBe(account.id);
      expect(create?.topic).toBe(`/subscriptions/${subscriptionId}`);
      if (create === undefined || !isSystemEvent('Microsoft.Resources.ResourceWriteSuccess', create))
        throw new Error('not a write event');
      expect(create.data.operationName).toBe('Microsoft.Storage/storageAccounts/write');
      expect(create.data.resourceUri).toBe(account.id);
      expect(create.data.tenantId).toBe(emulator.tenantId);
      expect(create.data.claims['http://schemas.microsoft.com/identity/claims/objectidentifier']).toBe(
        emulator.principal().principalId,
      );
      expect((create.data as { httpRequest?: unknown }).httpRequest).toBeUndefined();
      expect(update?.eventType).toBe('Microsoft.Resources.ResourceWriteSuccess');
      expect((update?.data as { httpRequest?: { method?: string } }).httpRequest?.method).toBe('PATCH');
      expect((action?.data as { operationName?: string }).operationName).toBe(
        'Microsoft.Storage/storageAccounts/listKeys/action',
      );
      expect(remove?.eventType).toBe('Microsoft.Resources.ResourceDeleteSuccess');
      expect(deliveries.every((d) => d.headers['aeg-event-type'] === 'Notification')).toBe(true);
    } finally {
      await emulator.setEventDelivery(undefined);
      await receiver.close();
    }
  });

  it('retries a delivery the endpoint failed, with the delivery count header', async () => {
    const receiver = await startReceiver({ failFirst: 1 });
    try {
      await emulator.setEventDelivery({ url: receiver.url });
      await storage.storageAccounts.create(
        resourceGroup,
        uniqueName('st'),
        { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
        poll,
      );
      const deliveries = await eventually(() =>
        receiver.notifications().length >= 2 ? receiver.notifications() : undefined,
      );
      expect(deliveries.map((d) => d.headers['aeg-delivery-count'])).toEqual(['0', '1']);
      await emulator.events.idle();
      expect(emulator.events.log().at(-1)).toMatchObject({ status: 'delivered', attempts: 2 });
    } finally {
      await emulator.setEventDelivery(undefined);
      await receiver.close();
    }
  });

  it('delivers CloudEvents 1.0 after the OPTIONS handshake', async () => {
    const receiver = await startReceiver();
    try {
      await emulator.setEventDelivery({ url: receiver.url, schema: 'CloudEventSchemaV1_0' });
      const name = uniqueName('st');
      await storage.storageAccounts.create(
        resourceGroup,
        name,
        { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
        poll,
      );
      const [delivery] = await eventually(() =>
        receiver.notifications().length >= 1 ? receiver.notifications() : undefined,
      );
      expect(delivery?.headers['content-type']).toContain('application/cloudevents+json');
      expect(delivery?.body).toMatchObject({
        specversion: '1.0',
        type: 'Microsoft.Resources.ResourceWriteSuccess',
        source: `/subscriptions/${subscriptionId}`,
      });
    } finally {
      await emulator.setEventDelivery(undefined);
      await receiver.close();
    }
  });

  it('refuses a delivery endpoint that fails the validation handshake', async () => {
    const server = http.createServer((_req, res) => res.writeHead(200).end('{}'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      await expect(emulator.setEventDelivery({ url: `http://127.0.0.1:${port}/` })).rejects.toThrow(
        /validation handshake failed/,
      );
    } finally {
      server.close();
    }
  });
});
