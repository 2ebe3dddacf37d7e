/**
 * The health endpoint's ARM check against the ARM emulator, with the credential the app uses
 * (DefaultAzureCredential finding the emulator's App Service style managed identity endpoint, as it
 * does inside the host), and the failures it must report as codes: a closed port, a slow ARM, ARM's
 * own errors, a token endpoint that refuses. The world tests check the same through GET /api/health.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { AuthenticationError, CredentialUnavailableError, DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArmEmulator, demoIds, startArmEmulator } from '../../dev/arm/index.js';
import {
  answerReason,
  cachedArmCheck,
  checkArm,
  credentialReason,
  networkReason,
} from '../../shared/health/arm-check.js';
import { createArmProbe } from '../../shared/runtime/arm-probe.js';

let arm: ArmEmulator;
const saved: Record<string, string | undefined> = {};
const subscriptionRead = /^\/subscriptions\/[^/]+$/;

/** The variables the world gives the host; this file runs in its own process (vitest forks). */
function useIdentityEndpoint(header: string): void {
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID']) {
    saved[name] ??= process.env[name];
    delete process.env[name];
  }
  process.env['IDENTITY_ENDPOINT'] = arm.managedIdentity.endpoint;
  process.env['IDENTITY_HEADER'] = header;
}

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const settings = () => ({ armEndpoint: arm.endpoint, subscriptionIds: [demoIds.subscriptionId] });

beforeAll(async () => {
  arm = await startArmEmulator({ timeScale: 1000 });
  await arm.loadSeed({ subscriptions: [{ subscriptionId: demoIds.subscriptionId }] });
  useIdentityEndpoint(arm.managedIdentity.header);
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await arm?.close();
});

describe('the ARM check', () => {
  it('reaches ARM as the app: a managed identity token, then one subscription read', async () => {
    const app = arm.managedIdentity.principalId;
    const before = arm.requestLog.count({ principalId: app });
    const result = await checkArm(createArmProbe(settings(), new DefaultAzureCredential()));
    expect(result).toEqual({ reachable: true, identity: true, checkedAt: expect.any(String) as string });
    const reads = arm.requestLog.entries({ principalId: app }).slice(before);
    expect(reads.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', `/subscriptions/${demoIds.subscriptionId}`, 200],
    ]);
  });

  it('reads the subscription list when no subscription is configured', async () => {
    const since = Date.now();
    const probe = createArmProbe(
      { armEndpoint: arm.endpoint, subscriptionIds: [] },
      arm.credential('health'),
    );
    expect(await checkArm(probe)).toMatchObject({ reachable: true, identity: true });
    expect(arm.requestLog.entries({ since, path: /^\/subscriptions$/ })).toHaveLength(1);
  });

  it('reports a closed port as ConnectionRefused, with the identity fine', async () => {
    const probe = createArmProbe(
      { armEndpoint: `https://127.0.0.1:${await closedPort()}`, subscriptionIds: [demoIds.subscriptionId] },
      arm.credential('health'),
    );
    expect(await checkArm(probe)).toMatchObject({
      reachable: false,
      identity: true,
      reason: 'ConnectionRefused',
    });
  });

  it('gives up on a slow ARM after the timeout and says Timeout', async () => {
    const fault = arm.faults.inject({ method: 'GET', path: subscriptionRead, latencyMs: 2000, count: 1 });
    const probe = createArmProbe(settings(), arm.credential('health'));
    const result = await checkArm(probe, { timeoutMs: 200 });
    fault.remove();
    expect(result).toMatchObject({ reachable: false, identity: true, reason: 'Timeout' });
  });

  it.each([
    [401, 'InvalidAuthenticationToken'],
    [403, 'AuthorizationFailed'],
    [404, 'SubscriptionNotFound'],
  ])("reports ARM's %i answer by its code %s, never its message", async (status, code) => {
    const fault = arm.faults.inject({
      method: 'GET',
      path: subscriptionRead,
      status,
      code,
      message: 'The token eyJ0eXAi.secret-looking.text was refused',
      count: 1,
    });
    const result = await checkArm(createArmProbe(settings(), arm.credential('health')));
    fault.remove();
    expect(result).toEqual({
      reachable: false,
      identity: true,
      reason: code,
      status,
      checkedAt: expect.any(String) as string,
    });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('reports a token endpoint that refuses the app, and makes no ARM request without a token', async () => {
    // An identity the app is not assigned (a client id no identity has): the endpoint refuses it.
    const credential = new DefaultAzureCredential({ managedIdentityClientId: randomUUID() });
    const since = Date.now();
    const result = await checkArm(createArmProbe(settings(), credential));
    expect(result).toMatchObject({ reachable: false, identity: false });
    expect(result.reason).toBe('CredentialUnavailable');
    expect(arm.requestLog.count({ since })).toBe(0);
  });

  it('measures once per window, however many ask at once', async () => {
    const app = arm.managedIdentity.principalId;
    let now = 0;
    const check = cachedArmCheck(() => checkArm(createArmProbe(settings(), new DefaultAzureCredential())), {
      ttlMs: 60_000,
      now: () => now,
    });
    const before = arm.requestLog.count({ principalId: app, path: subscriptionRead });
    const burst = await Promise.all([check(), check(), check()]);
    now = 59_999;
    const later = await check();
    expect(new Set([...burst, later]).size).toBe(1);
    expect(arm.requestLog.count({ principalId: app, path: subscriptionRead })).toBe(before + 1);
    now = 60_000;
    await check();
    expect(arm.requestLog.count({ principalId: app, path: subscriptionRead })).toBe(before + 2);
  });
});

describe('reason codes come from error names and codes, never messages', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1 ?sig=secret'), {
    code: 'ECONNREFUSED',
  });
  it.each([
    ['a refused connection', refused, 'ConnectionRefused'],
    ['a cause that was refused', new Error('fetch failed', { cause: refused }), 'ConnectionRefused'],
    ['an unknown host', Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 'HostNotFound'],
    [
      'an untrusted certificate',
      Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      'TlsError',
    ],
    ['an abort', Object.assign(new Error('x'), { name: 'AbortError' }), 'Timeout'],
    ['anything else', new Error('password=hunter2'), 'NetworkError'],
  ])('network: %s', (_name, error, reason) => {
    expect(networkReason(error)).toBe(reason);
  });

  it.each([
    ['no credential available', new CredentialUnavailableError('token=abc'), 'CredentialUnavailable'],
    [
      'an authentication failure',
      new AuthenticationError(400, { error: 'invalid_client', error_description: 'secret abc' }),
      'AuthenticationFailed',
    ],
    ['something unexpected', new TypeError('boom'), 'TokenRequestFailed'],
  ])('credential: %s', (_name, error, reason) => {
    expect(credentialReason(error)).toBe(reason);
  });

  it.each([
    [{ status: 403, code: 'AuthorizationFailed' }, 'AuthorizationFailed'],
    [{ status: 502, code: undefined }, 'Http502'],
    [{ status: 400, code: 'not a code: <html>' }, 'Http400'],
  ])('ARM answer %j', (answer, reason) => {
    expect(answerReason(answer)).toBe(reason);
  });
});
