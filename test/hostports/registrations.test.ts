import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterRef,
  hashWebhookToken,
  isClusterRef,
  isWebhookTokenShape,
  tokenMatches,
  webhookUrl,
} from '../../shared/hostports/webhook-auth.js';
import { createTableRegistrationStore } from '../../shared/store/hostport-registrations.js';
import { startAzuriteTables, type AzuriteTables } from './azurite.js';
import { tableClient } from './store-helpers.js';

let azurite: AzuriteTables;
beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(async () => {
  await azurite?.stop();
});

const aks1 =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1';
const aks2 =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks2';
const t0 = Date.parse('2026-11-22T10:00:00Z');

describe('webhook credentials', () => {
  it('derives a short, URL-safe reference per cluster, ignoring the id casing', () => {
    const ref = clusterRef(aks1);
    expect(isClusterRef(ref)).toBe(true);
    expect(clusterRef(aks1.toLowerCase())).toBe(ref);
    expect(clusterRef(aks2)).not.toBe(ref);
  });

  it('compares a token with a stored hash', () => {
    const token = 'a'.repeat(43);
    expect(tokenMatches(hashWebhookToken(token), token)).toBe(true);
    expect(tokenMatches(hashWebhookToken(token), 'b'.repeat(43))).toBe(false);
    expect(tokenMatches(undefined, token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
  });

  it.each([
    ['too short', 'abc', false],
    ['a query string', `${'a'.repeat(42)}?`, false],
    ['43 base64url characters', `${'A'.repeat(21)}-_${'9'.repeat(20)}`, true],
  ])('checks the token shape: %s', (_name, token, ok) => {
    expect(isWebhookTokenShape(token)).toBe(ok);
  });

  it('builds an https URL with the secret in the path and no query string', () => {
    const url = new URL(webhookUrl('https://connector.azurewebsites.net/', clusterRef(aks1), 'T'.repeat(43)));
    expect(url.pathname).toBe(`/api/hostports/admission/${clusterRef(aks1)}/${'T'.repeat(43)}`);
    expect(url.search).toBe('');
  });
});

describe('registration store', () => {
  function store() {
    return createTableRegistrationStore(tableClient(azurite, 'hostports'));
  }

  it('issues a token that authenticates its own cluster and no other', async () => {
    const registrations = store();
    const one = await registrations.issue(aks1, { now: t0 });
    const two = await registrations.issue(aks2, { now: t0 });
    expect(one.path).toBe(`hostports/admission/${clusterRef(aks1)}/${one.token}`);
    expect(isWebhookTokenShape(one.token)).toBe(true);
    expect((await registrations.verify(clusterRef(aks1), one.token, t0))?.clusterId).toBe(aks1);
    expect(await registrations.verify(clusterRef(aks2), one.token, t0)).toBeUndefined();
    expect(await registrations.verify(clusterRef(aks1), two.token, t0)).toBeUndefined();
  });

  it('stores only the hash of the token', async () => {
    const cluster = `${aks1}-hashed`;
    const { token } = await store().issue(cluster, { now: t0 });
    const entity = await tableClient(azurite, 'hostports').getEntity(clusterRef(cluster), 'registration');
    expect(JSON.stringify(entity)).not.toContain(token);
    expect(entity['tokenHash']).toBe(hashWebhookToken(token));
  });

  it('keeps the previous token working for the grace period after a rotation, then refuses it', async () => {
    const registrations = store();
    const cluster = `${aks2}-rotated`;
    const ref = clusterRef(cluster);
    const old = await registrations.issue(cluster, { now: t0 });
    const rotated = await registrations.issue(cluster, { now: t0 + 1000, previousTokenGraceMs: 60_000 });
    expect(rotated.token).not.toBe(old.token);
    expect(await registrations.verify(ref, rotated.token, t0 + 2000)).toBeDefined();
    expect(await registrations.verify(ref, old.token, t0 + 2000)).toBeDefined();
    expect(await registrations.verify(ref, old.token, t0 + 61_001)).toBeUndefined();
    expect(await registrations.verify(ref, rotated.token, t0 + 61_001)).toBeDefined();
    const registration = await registrations.get(cluster);
    expect(registration).toEqual({
      clusterId: cluster,
      clusterRef: ref,
      createdAt: t0,
      rotatedAt: t0 + 1000,
    });
  });

  it('forgets a removed registration', async () => {
    const registrations = store();
    const cluster = `${aks1}-removed`;
    const { token } = await registrations.issue(cluster, { now: t0 });
    expect(await registrations.remove(cluster)).toBe(true);
    expect(await registrations.verify(clusterRef(cluster), token, t0)).toBeUndefined();
    expect(await registrations.get(cluster)).toBeUndefined();
    expect(await registrations.remove(cluster)).toBe(false);
  });

  it('refuses an unknown cluster reference', async () => {
    expect(await store().verify('0'.repeat(32), 'a'.repeat(43))).toBeUndefined();
  });
});
