import { describe, expect, it } from 'vitest';
import { createLogger, createMemoryLogger } from '../../shared/runtime/logger.js';
import { REDACTED, redact } from '../../shared/util/redact.js';

describe('redact', () => {
  it.each([
    [
      'connection strings',
      { AZURE_STORAGEBLOB_CONNECTIONSTRING: 'DefaultEndpointsProtocol=https;AccountKey=abc' },
    ],
    ['client secrets', { clientSecret: 's3cr3t' }],
    ['passwords', { AZURE_POSTGRESQL_PASSWORD: 'p' }],
    ['tokens', { accessToken: 'eyJ...' }],
    ['account keys', { primaryKey: 'k1', key: 'k2' }],
    ['Service Connector raw secrets', { secretInfo: { secretType: 'rawValue', value: 'x' } }],
  ])('hides %s', (_name, input) => {
    const text = JSON.stringify(redact(input));
    for (const v of ['abc', 's3cr3t', '"p"', 'eyJ', 'k1', 'k2', '"x"']) expect(text).not.toContain(v);
  });

  it('keeps the keys of a Kubernetes Secret but none of its values', () => {
    const secret = { kind: 'Secret', metadata: { name: 'sc-a-secret' }, data: { AZURE_X: 'c2VjcmV0' } };
    expect(redact(secret)).toEqual({
      kind: 'Secret',
      metadata: { name: 'sc-a-secret' },
      data: { AZURE_X: REDACTED },
    });
  });

  it('leaves ordinary fields alone', () => {
    expect(redact({ name: 'conn', nested: [{ clusterId: '/subscriptions/s' }] })).toEqual({
      name: 'conn',
      nested: [{ clusterId: '/subscriptions/s' }],
    });
  });
});

describe('loggers', () => {
  it('redact fields before they reach the sink', () => {
    const lines: unknown[][] = [];
    const sink = {
      debug: () => {},
      info: (...a: unknown[]) => lines.push(a),
      warn: () => {},
      error: () => {},
    };
    createLogger(sink, { clusterId: 'c' }).info('built', { clientSecret: 'hunter2' });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
    expect(JSON.stringify(lines)).toContain('clusterId');
  });

  it('records entries in memory, redacted', () => {
    const log = createMemoryLogger();
    log.warn('w', { password: 'x' });
    expect(log.entries).toEqual([{ level: 'warn', message: 'w', fields: { password: REDACTED } }]);
  });
});
