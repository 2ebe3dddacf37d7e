import { ResourceManagementClient } from '@azure/arm-resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../dev/arm/core/clock.js';
import type { ArmEmulator } from '../../dev/arm/index.js';
import { Throttler, type OperationKind } from '../../dev/arm/platform/throttling.js';
import { clientOptions, resourceGroup, startTestEmulator, subscriptionId } from './helpers.js';
import { raw } from './raw.js';

function manualClock(timeScale = 1): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return {
    timeScale,
    now: () => now,
    realMs: (s) => (s * 1000) / timeScale,
    retryAfterSeconds: (ms) => Math.floor(ms / 1000),
    sleep: () => Promise.resolve(),
    advance: (ms) => (now += ms),
  };
}

const scope = { subscriptionId: 'sub', tenantId: 'tenant' };

function drain(t: Throttler, principal: string, kind: OperationKind, n: number): number {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (t.take(scope, principal, kind).allowed) allowed++;
  return allowed;
}

describe('ARM token buckets (Azure sizes)', () => {
  it.each([
    ['reads', 'read', 250, 25],
    ['writes', 'write', 200, 10],
    ['deletes', 'delete', 200, 10],
    ['actions, which count as writes', 'action', 200, 10],
  ] as const)(
    'allow a burst of %s up to the bucket, then refill at the published rate',
    (_case, kind, size, rate) => {
      const clock = manualClock();
      const t = new Throttler(clock);
      expect(drain(t, 'p1', kind, size + 5)).toBe(size);
      const denied = t.take(scope, 'p1', kind);
      expect(denied).toMatchObject({
        allowed: false,
        scope: 'principal',
        retryAfterMs: Math.ceil(1000 / rate),
      });
      clock.advance(1000);
      expect(drain(t, 'p1', kind, size)).toBe(rate);
    },
  );

  it('keeps separate buckets per principal and per operation type, and reports what remains', () => {
    const t = new Throttler(manualClock());
    drain(t, 'p1', 'read', 250);
    expect(t.take(scope, 'p2', 'read')).toMatchObject({
      allowed: true,
      headers: {
        'x-ms-ratelimit-remaining-subscription-reads': '249',
        'x-ms-ratelimit-remaining-subscription-global-reads': String(250 * 15 - 251),
      },
    });
    expect(t.take(scope, 'p1', 'write')).toMatchObject({
      allowed: true,
      headers: { 'x-ms-ratelimit-remaining-subscription-writes': '199' },
    });
  });

  it('throttles every principal once the global per-subscription bucket (15x) is empty', () => {
    const t = new Throttler(manualClock());
    for (let p = 0; p < 15; p++) expect(drain(t, `p${p}`, 'read', 250)).toBe(250);
    expect(t.take(scope, 'fresh', 'read')).toMatchObject({ allowed: false, scope: 'global' });
  });

  it('refills on emulated time: a time scale of 1000 refills a second of tokens in a millisecond', () => {
    const clock = manualClock(1000);
    const t = new Throttler(clock);
    drain(t, 'p1', 'write', 200);
    expect(t.take(scope, 'p1', 'write').allowed).toBe(false);
    clock.advance(1);
    expect(drain(t, 'p1', 'write', 20)).toBe(10);
  });
});

describe('throttling through the front door', () => {
  let emulator: ArmEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ timeScale: 10 });
  });
  afterAll(async () => await emulator?.close());

  const rgPath = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}?api-version=2025-04-01`;
  const tokenFor = async (who: string) =>
    (await emulator.credential(who).getToken('https://management.azure.com/.default'))?.token ?? '';

  it('reports the remaining reads on every response', async () => {
    const res = await raw(emulator, 'GET', rgPath);
    expect(Number(res.headers['x-ms-ratelimit-remaining-subscription-reads'])).toBeLessThan(250);
    expect(Number(res.headers['x-ms-ratelimit-remaining-subscription-global-reads'])).toBeLessThan(250 * 15);
  });

  it('answers 429 SubscriptionRequestsThrottled with Retry-After once the bucket is empty', async () => {
    emulator.throttling.configure({ reads: { bucketSize: 1, refillPerSecond: 0.01 } });
    try {
      const token = await tokenFor('burst');
      expect((await raw(emulator, 'GET', rgPath, { token })).status).toBe(200);
      const throttled = await raw(emulator, 'GET', rgPath, { token });
      expect(throttled.status).toBe(429);
      expect(throttled.body.error?.code).toBe('SubscriptionRequestsThrottled');
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(throttled.headers['x-ms-retry-after-ms'])).toBeGreaterThan(0);
      expect(throttled.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('0');
    } finally {
      emulator.throttling.configure({ reads: { bucketSize: 250, refillPerSecond: 25 } });
    }
  });

  it('lets the SDK retry policy wait out a 429 and succeed', async () => {
    emulator.throttling.configure({ reads: { bucketSize: 2, refillPerSecond: 0.5 } });
    try {
      const client = new ResourceManagementClient(
        emulator.credential('sdk'),
        subscriptionId,
        clientOptions(emulator),
      );
      const since = Date.now();
      for (let i = 0; i < 5; i++)
        expect((await client.resourceGroups.get(resourceGroup)).name).toBe(resourceGroup);
      const principalId = emulator.principal('sdk').principalId;
      expect(emulator.requestLog.count({ principalId, status: 429, since })).toBeGreaterThan(0);
      expect(emulator.requestLog.count({ principalId, status: 200, since })).toBe(5);
    } finally {
      emulator.throttling.configure({ reads: { bucketSize: 250, refillPerSecond: 25 } });
    }
  });
});
