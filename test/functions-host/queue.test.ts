import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Azurite, startAzurite } from '../../dev/azurite/index.js';
import { decodeMessage } from '../../dev/functions-host/queue-trigger.js';
import { encodeMessage, queueMessagesFrom } from '../../dev/functions-host/outputs.js';
import { pollUntil, startTestHost, type TestHost } from './helpers.js';

let azurite: Azurite;
let host: TestHost;
let queues: QueueServiceClient;
beforeAll(async () => {
  azurite = await startAzurite();
  host = await startTestHost('queue-app', {
    AzureWebJobsStorage: azurite.connectionString,
    JobsQueue: 'jobs',
  });
  queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
});
afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
});

interface Delivery {
  body: unknown;
  metadata: {
    dequeueCount: number;
    id: string;
    popReceipt: string;
    insertionTime: string;
    queueTrigger: unknown;
  };
}

async function deliveries(): Promise<Delivery[]> {
  return (await (await fetch(`${host.url}/v1/deliveries`)).json()) as Delivery[];
}

async function send(queueName: string, text: string): Promise<string> {
  const queue = queues.getQueueClient(queueName);
  await queue.createIfNotExists();
  return (await queue.sendMessage(text)).messageId;
}

async function peekDecoded(queueName: string): Promise<string[]> {
  const queue = queues.getQueueClient(queueName);
  if (!(await queue.exists())) return [];
  const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
  return peekedMessageItems.map((m) => Buffer.from(m.messageText, 'base64').toString('utf8'));
}

const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('storage queue triggers on the local host', () => {
  it('delivers a base64 JSON message parsed, with its trigger metadata, then deletes it', async () => {
    const id = await send('jobs', base64({ job: 'ok' }));
    const [delivery] = (await pollUntil(deliveries, (d) => d.some((x) => x.metadata.id === id))).filter(
      (d) => d.metadata.id === id,
    );
    expect(delivery?.body).toEqual({ job: 'ok' });
    expect(delivery?.metadata).toMatchObject({ dequeueCount: 1, queueTrigger: { job: 'ok' } });
    expect(delivery?.metadata.popReceipt).toEqual(expect.any(String));
    expect(new Date(delivery?.metadata.insertionTime ?? '').getTime()).not.toBeNaN();
    await pollUntil(
      async () => (await queues.getQueueClient('jobs').getProperties()).approximateMessagesCount,
      (n) => n === 0,
    );
  });

  it('retries a failing message until maxDequeueCount, then moves it to the poison queue', async () => {
    const id = await send('jobs', base64({ fail: true, job: 'poison-me' }));
    await pollUntil(
      async () => await peekDecoded('jobs-poison'),
      (m) => m.some((t) => t.includes('poison-me')),
    );
    const attempts = (await deliveries())
      .filter((d) => d.metadata.id === id)
      .map((d) => d.metadata.dequeueCount);
    expect(attempts).toEqual([1, 2, 3]);
    expect(await peekDecoded('jobs-poison')).toContain(JSON.stringify({ fail: true, job: 'poison-me' }));
    const { peekedMessageItems } = await queues.getQueueClient('jobs').peekMessages({ numberOfMessages: 32 });
    expect(peekedMessageItems.map((m) => m.messageId)).not.toContain(id);
  });

  it('moves a message that is not base64 straight to the poison queue without invoking', async () => {
    const id = await send('jobs', 'plain text, not base64!');
    const poisonQueue = queues.getQueueClient('jobs-poison');
    await pollUntil(
      async () =>
        (await poisonQueue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map(
          (m) => m.messageText,
        ),
      (texts) => texts.includes('plain text, not base64!'),
    );
    expect((await deliveries()).some((d) => d.metadata.id === id)).toBe(false);
  });

  it('writes declared extraOutputs, one base64 message per array element, and drops undeclared ones', async () => {
    const response = await fetch(`${host.url}/v1/enqueue`, {
      method: 'POST',
      body: JSON.stringify({ id: 7 }),
    });
    expect(response.status).toBe(202);
    expect(await peekDecoded('audit')).toEqual([
      JSON.stringify({ step: 'received', order: { id: 7 } }),
      'plain text entry',
    ]);
    expect(await queues.getQueueClient('undeclared').exists()).toBe(false);
  });

  it("writes a queue function's return value to its return queue", async () => {
    await send('relay-in', Buffer.from('hello').toString('base64'));
    const relayed = await pollUntil(
      async () => await peekDecoded('relay-out'),
      (m) => m.length > 0,
    );
    expect(relayed).toEqual([JSON.stringify({ relayed: 'hello' })]);
  });
});

describe('queue message encoding', () => {
  it.each([
    ['a string', { string: 'text' }, ['text']],
    ['an object', { json: '{"a":1}' }, ['{"a":1}']],
    ['an array: one message per element', { json: '[{"a":1},"b",2]' }, ['{"a":1}', 'b', '2']],
    ['a number', { int: 5 }, ['5']],
  ])('splits output values into messages: %s', (_name, data, messages) => {
    expect(queueMessagesFrom(data)).toEqual(messages);
  });

  it.each([
    ['base64', 'héllo', 'aMOpbGxv'],
    ['none', 'héllo', 'héllo'],
  ] as const)('encodes and decodes with messageEncoding %s', (encoding, text, encoded) => {
    expect(encodeMessage(text, encoding)).toBe(encoded);
    expect(decodeMessage(encoded, encoding)).toBe(text);
  });

  it.each(['not base64!', 'abc', 'a=bc'])('refuses %s as base64', (text) => {
    expect(decodeMessage(text, 'base64')).toBeUndefined();
  });
});
