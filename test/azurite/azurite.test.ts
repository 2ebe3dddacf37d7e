import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Azurite, startAzurite } from '../../dev/azurite/index.js';
import { isRunning, pollUntil, printedLine } from '../functions-host/helpers.js';

const builtAzuriteModule = fileURLToPath(new URL('../../dist/dev/azurite/index.js', import.meta.url));

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

describe('the Azurite harness', () => {
  it('gives a connection string with the development account and its three loopback endpoints', () => {
    expect(azurite.connectionString).toMatch(
      /^DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=[\w+/=]+;BlobEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;QueueEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;TableEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/,
    );
    const ports = [azurite.blobEndpoint, azurite.queueEndpoint, azurite.tableEndpoint].map(
      (u) => new URL(u).port,
    );
    expect(new Set(ports).size).toBe(3);
  });

  it('serves queues and tables to the real SDK clients', async () => {
    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('harness');
    await queue.createIfNotExists();
    await queue.sendMessage('hello');
    const { receivedMessageItems } = await queue.receiveMessages();
    expect(receivedMessageItems.map((m) => m.messageText)).toEqual(['hello']);

    const table = TableClient.fromConnectionString(azurite.connectionString, 'harness', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(42);
  });

  it('serves blobs too', async () => {
    const response = await fetch(`${azurite.blobEndpoint}?comp=list`);
    expect(response.headers.get('server')).toMatch(/Azurite-Blob/);
  });

  it('exits, removing its folder, when the process that started it dies', async () => {
    const script = `
      import { startAzurite } from ${JSON.stringify(builtAzuriteModule)};
      const azurite = await startAzurite();
      console.log(JSON.stringify({ pid: azurite.pid, location: azurite.location }));
      setInterval(() => {}, 1000);
    `;
    const parent = execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
    try {
      const { pid, location } = JSON.parse(await printedLine(parent)) as { pid: number; location: string };
      expect(isRunning(pid)).toBe(true);
      parent.kill('SIGKILL');
      await pollUntil(
        () => isRunning(pid),
        (running) => !running,
      );
      expect(existsSync(location)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('stops leaving neither its process nor its folder', async () => {
    await azurite.stop();
    expect(isRunning(azurite.pid)).toBe(false);
    expect(existsSync(azurite.location)).toBe(false);
  });
});
