import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostJson, parseTimeSpan } from '../../dev/functions-host/host-json.js';
import { type HostKeys, isAuthorized, loadOrCreateHostKeys } from '../../dev/functions-host/keys.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'host-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the host keys file', () => {
  it('is created with random keys, readable only by its owner, and reused', async () => {
    const path = join(dir, 'nested', 'host-keys.json');
    const first = await loadOrCreateHostKeys(path);
    expect(first.masterKey).toMatch(/^[\w-]{40,}$/);
    expect(first.functionKeys['default']).toMatch(/^[\w-]{40,}$/);
    expect(first.systemKeys['eventgrid_extension']).toMatch(/^[\w-]{40,}$/);
    expect(
      new Set([first.masterKey, first.functionKeys['default'], first.systemKeys['eventgrid_extension']]).size,
    ).toBe(3);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateHostKeys(path)).toEqual(first);
  });

  it('keeps given keys and completes the missing ones', async () => {
    const path = join(dir, 'partial.json');
    await writeFile(path, JSON.stringify({ masterKey: 'given-master', functionKeys: { ci: 'ci-key' } }));
    const keys = await loadOrCreateHostKeys(path);
    expect(keys.masterKey).toBe('given-master');
    expect(keys.functionKeys).toEqual({ ci: 'ci-key', default: expect.any(String) as string });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(keys);
  });

  it('rejects a malformed file instead of replacing it', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ not json');
    await expect(loadOrCreateHostKeys(path)).rejects.toThrow(/is not valid JSON/);
    expect(await readFile(path, 'utf8')).toBe('{ not json');
  });

  const keys: HostKeys = {
    masterKey: 'master',
    functionKeys: { default: 'host-function' },
    systemKeys: { eventgrid_extension: 'eventgrid' },
    functions: { linkers: { own: 'linkers-only' } },
  };
  it.each([
    ['anonymous needs no key', 'anonymous', undefined, {}, true],
    ['function level refuses no key', 'function', undefined, {}, false],
    ['function level refuses a wrong key', 'function', 'wrong', {}, false],
    ['function level accepts a host function key', 'function', 'host-function', {}, true],
    ['function level accepts the master key', 'function', 'master', {}, true],
    [
      "function level accepts the function's own key",
      'function',
      'linkers-only',
      { functionName: 'linkers' },
      true,
    ],
    [
      "function level refuses another function's key",
      'function',
      'linkers-only',
      { functionName: 'health' },
      false,
    ],
    ['function level refuses a system key', 'function', 'eventgrid', {}, false],
    ['admin level accepts only the master key', 'admin', 'host-function', {}, false],
    ['admin level accepts the master key', 'admin', 'master', {}, true],
    [
      'the Event Grid webhook accepts its system key',
      'system',
      'eventgrid',
      { systemKeyName: 'eventgrid_extension' },
      true,
    ],
    [
      'the Event Grid webhook accepts the master key',
      'system',
      'master',
      { systemKeyName: 'eventgrid_extension' },
      true,
    ],
    [
      'the Event Grid webhook refuses a function key',
      'system',
      'host-function',
      { systemKeyName: 'eventgrid_extension' },
      false,
    ],
  ] as const)('%s', (_name, level, presented, scope, allowed) => {
    expect(isAuthorized(keys, level, presented, scope)).toBe(allowed);
  });
});

describe('host.json', () => {
  it.each([
    ['00:00:30', 30_000],
    ['00:01:00', 60_000],
    ['01:00:00', 3_600_000],
    ['00:00:00.500', 500],
    ['1.00:00:00', 86_400_000],
    ['2', 172_800_000],
  ])('reads the TimeSpan %s', (text, ms) => {
    expect(parseTimeSpan(text, 'x')).toBe(ms);
  });

  it.each(['30s', '00:60:00', 'soon'])('rejects the TimeSpan %s', (text) => {
    expect(() => parseTimeSpan(text, 'queues.visibilityTimeout')).toThrow(/queues.visibilityTimeout/);
  });

  it('applies the Functions defaults when settings are absent', () => {
    const hostJson = parseHostJson({ version: '2.0' });
    expect(hostJson.routePrefix).toBe('api');
    expect(hostJson.logLevel).toBe('information');
    expect(hostJson.queues).toMatchObject({
      batchSize: 16,
      maxDequeueCount: 5,
      maxPollingIntervalMs: 60_000,
      visibilityTimeoutMs: 0,
      messageEncoding: 'base64',
    });
  });

  it('reads the route prefix, queue settings and log level', () => {
    const hostJson = parseHostJson({
      logging: { logLevel: { default: 'Warning' } },
      extensions: {
        http: { routePrefix: '' },
        queues: { batchSize: 4, newBatchThreshold: 1, maxDequeueCount: 2, messageEncoding: 'None' },
      },
    });
    expect(hostJson).toMatchObject({ routePrefix: '', logLevel: 'warning' });
    expect(hostJson.queues).toMatchObject({
      batchSize: 4,
      newBatchThreshold: 1,
      maxDequeueCount: 2,
      messageEncoding: 'none',
    });
  });

  it.each([
    ['a batch size above 32', { batchSize: 33 }, /batchSize must be a whole number from 1 to 32/],
    ['a zero dequeue count', { maxDequeueCount: 0 }, /maxDequeueCount/],
    ['a polling interval under 100 ms', { maxPollingInterval: '00:00:00.050' }, /at least 100 ms/],
    ['an unknown encoding', { messageEncoding: 'utf8' }, /"base64" or "none"/],
  ])('rejects %s', (_name, queues, message) => {
    expect(() => parseHostJson({ extensions: { queues } })).toThrow(message);
  });
});
