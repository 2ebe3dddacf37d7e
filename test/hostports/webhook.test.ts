import functions from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostPortWebhookHandler, type WebhookServices } from '../../functions/hostport-webhook.js';
import type { AdmissionReviewResponse } from '../../shared/hostports/admission-review.js';
import { createHostPortAllocator } from '../../shared/hostports/allocator.js';
import type { Pod } from '../../shared/hostports/types.js';
import { clusterRef } from '../../shared/hostports/webhook-auth.js';
import { createTableHostPortStore } from '../../shared/store/hostport-allocations.js';
import { createTableRegistrationStore } from '../../shared/store/hostport-registrations.js';
import { applyJsonPatch, type JsonPatchOperation } from '../../shared/util/json-patch.js';
import { startAzuriteTables, type AzuriteTables } from './azurite.js';
import { review, type ReviewFixture } from './fixtures.js';
import { hostPortStore, tableClient } from './store-helpers.js';

let azurite: AzuriteTables;
let services: WebhookServices;
let ref: string;
let token: string;
const clusterId =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1';

beforeAll(async () => {
  azurite = await startAzuriteTables();
  const registrations = createTableRegistrationStore(tableClient(azurite, 'hostports'));
  const issued = await registrations.issue(clusterId);
  ref = issued.registration.clusterRef;
  token = issued.token;
  services = {
    verify: (r, t) => registrations.verify(r, t),
    allocator: createHostPortAllocator(hostPortStore(azurite)),
  };
});
afterAll(async () => {
  await azurite?.stop();
});

/** Services that fail the test if the handler reaches for the store or the settings. */
const untouchable = (): WebhookServices => {
  throw new Error('the store must not be used on this path');
};

interface Call {
  status: number | undefined;
  body: unknown;
  logs: string[];
}

async function call(
  body: unknown,
  get: () => WebhookServices = () => services,
  route: { clusterRef: string; token: string } = { clusterRef: ref, token },
): Promise<Call> {
  const logs: string[] = [];
  const handler = createHostPortWebhookHandler(get);
  const request = new functions.HttpRequest({
    method: 'POST',
    url: `https://connector.example/api/hostports/admission/${route.clusterRef}/${route.token}`,
    body: { string: typeof body === 'string' ? body : JSON.stringify(body) },
    params: route,
  });
  const context = new functions.InvocationContext({
    functionName: 'hostPortWebhook',
    logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
  });
  const response = await handler(request, context);
  return { status: response.status, body: response.jsonBody, logs };
}

async function admission(
  body: ReviewFixture,
  get?: () => WebhookServices,
  route?: { clusterRef: string; token: string },
) {
  const result = await call(body, get, route);
  expect(result.status).toBe(200);
  const answer = result.body as AdmissionReviewResponse;
  expect(answer.apiVersion).toBe('admission.k8s.io/v1');
  expect(answer.kind).toBe('AdmissionReview');
  expect(answer.response.uid).toBe(body.request.uid);
  return { response: answer.response, logs: result.logs };
}

function patchOf(response: AdmissionReviewResponse['response']): JsonPatchOperation[] {
  expect(response.patchType).toBe('JSONPatch');
  return JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as JsonPatchOperation[];
}

function withUid(body: ReviewFixture, uid: string): ReviewFixture {
  body.request.uid = uid;
  return body;
}

describe('host-port webhook: pods it assigns ports to', () => {
  it("gives the seed's echoserver pod two distinct host ports in range and their variables", async () => {
    const body = review('echoserver');
    const { response } = await admission(body);
    expect(response.allowed).toBe(true);
    const pod = applyJsonPatch(body.request.object, patchOf(response));
    const container = pod.spec.containers[0];
    const hostPorts = container?.ports?.map((p) => p.hostPort ?? 0) ?? [];
    expect(hostPorts).toHaveLength(2);
    expect(new Set(hostPorts).size).toBe(2);
    expect(hostPorts.every((p) => p >= 40000 && p <= 59999)).toBe(true);
    expect(container?.env).toEqual([
      { name: 'echoserver-hostport_PORT_8080_TCP_HOSTPORT', value: String(hostPorts[0]) },
      { name: 'echoserver-hostport_PORT_8443_TCP_HOSTPORT', value: String(hostPorts[1]) },
    ]);
    expect(pod.metadata?.annotations?.['hostports.connector-functions.io/lease']).toBe(
      `default/~${body.request.uid}`,
    );
  });

  it('gives the three replicas of the Deployment six distinct host ports', async () => {
    const ports: number[] = [];
    for (const uid of [
      '0a1b2c3d-0000-4000-8000-000000000001',
      '0a1b2c3d-0000-4000-8000-000000000002',
      '0a1b2c3d-0000-4000-8000-000000000003',
    ]) {
      const body = withUid(review('echoserver'), uid);
      const pod = applyJsonPatch(body.request.object, patchOf((await admission(body)).response));
      ports.push(...(pod.spec.containers[0]?.ports?.map((p) => p.hostPort ?? 0) ?? []));
    }
    expect(new Set(ports).size).toBe(6);
  });

  it('answers a reinvocation (our patch already applied) with no patch and no store access', async () => {
    const body = review('echoserver');
    const first = await admission(withUid(body, '0a1b2c3d-0000-4000-8000-00000000000a'));
    const again = structuredClone(body);
    again.request.object = applyJsonPatch(body.request.object, patchOf(first.response));
    const { response } = await admission(again, untouchable);
    expect(response).toEqual({ uid: body.request.uid, allowed: true });
  });

  it('gives a named pod whose creation is retried the same ports', async () => {
    const portsOf = async () => {
      const body = review('statefulset');
      const pod: Pod = applyJsonPatch(body.request.object, patchOf((await admission(body)).response));
      return pod.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.hostPort));
    };
    const first = await portsOf();
    expect(first.filter((p) => p !== undefined)).toHaveLength(2);
    expect(await portsOf()).toEqual(first);
  });

  it('never writes the token to the logs', async () => {
    const { logs } = await admission(withUid(review('echoserver'), '0a1b2c3d-0000-4000-8000-00000000000b'));
    expect(logs.some((l) => l.includes('host ports assigned'))).toBe(true);
    expect(logs.join('\n')).not.toContain(token);
  });
});

describe('host-port webhook: pods it lets through untouched', () => {
  it('allows a pod without the annotation with no patch and no store access', async () => {
    const body = review('plain-pod');
    expect((await admission(body, untouchable)).response).toEqual({ uid: body.request.uid, allowed: true });
  });

  it.each([
    ['an UPDATE', (b: ReviewFixture) => (b.request.operation = 'UPDATE')],
    ['a subresource', (b: ReviewFixture) => (b.request['subResource'] = 'status')],
  ])('allows %s with no patch', async (_name, change) => {
    const body = review('echoserver');
    change(body);
    expect((await admission(body, untouchable)).response).toEqual({ uid: body.request.uid, allowed: true });
  });

  it('allows a dry run without assigning anything', async () => {
    const body = withUid(review('echoserver'), '0a1b2c3d-0000-4000-8000-00000000000c');
    body.request.dryRun = true;
    const { response } = await admission(body, untouchable);
    expect(response).toEqual({
      uid: body.request.uid,
      allowed: true,
      warnings: ['dry run: host ports are assigned when the pod is created for real'],
    });
  });
});

describe('host-port webhook: denials', () => {
  it.each([
    ['an unknown protocol', '8080/sctp', "entry '8080/sctp' has protocol 'sctp': use tcp or udp"],
    [
      'a port that is not a container port',
      '9090/tcp',
      "entry '9090/tcp' is not a container port of the pod: its containers declare 8080/TCP (echoserver-hostport), 8443/TCP (echoserver-hostport)",
    ],
    ['a duplicate', '8080/tcp,8080/tcp', "entry '8080/tcp' repeats '8080/tcp'"],
    ['an empty entry', '8080/tcp,', 'entry 2 is empty (two commas in a row, or a comma at an end)'],
    ['garbage', 'all of them', "entry 'all of them' is not port/protocol (e.g. 8080/tcp)"],
    ['an out-of-range port', '70000/tcp', "entry '70000/tcp' has port 70000, outside 1-65535"],
  ])('refuses %s (400) before touching the store', async (_name, value, message) => {
    const body = review('echoserver');
    body.request.object.metadata!.annotations!['kubernetes.azure.com/assign-hostports-for-containerports'] =
      value;
    const { response } = await admission(body, untouchable);
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(400);
    expect(response.status?.reason).toBe('BadRequest');
    expect(response.status?.message).toBe(
      `annotation kubernetes.azure.com/assign-hostports-for-containerports: '${value}': ${message}`,
    );
    expect(response.patch).toBeUndefined();
  });

  it.each([
    ['a wrong token', () => ({ clusterRef: ref, token: 'x'.repeat(43) })],
    ['a token of another cluster', () => ({ clusterRef: clusterRef(`${clusterId}-other`), token })],
    ['a malformed token', () => ({ clusterRef: ref, token: 'short' })],
    ['a malformed cluster reference', () => ({ clusterRef: '<script>', token })],
  ])('refuses %s (403) without allocating', async (_name, route) => {
    const body = withUid(review('echoserver'), '0a1b2c3d-0000-4000-8000-00000000000d');
    const { response } = await admission(body, () => services, route());
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(403);
    expect(response.status?.message).toMatch(
      /^the host-port webhook URL is not registered for (cluster reference '[0-9a-f]{32}'|its \(malformed\) cluster reference) \(unknown cluster or a revoked token\)/,
    );
    expect(response.status?.message).not.toContain('<script>');
    const leases = await hostPortStore(azurite).listLeases(route().clusterRef);
    expect(leases.map((l) => l.id)).not.toContain(`default/~${body.request.uid}`);
  });

  it('refuses a pod when the range is exhausted (403), saying so', async () => {
    const registrations = createTableRegistrationStore(tableClient(azurite, 'hostports'));
    const small = await registrations.issue(`${clusterId}-small`);
    const tiny: WebhookServices = {
      verify: (r, t) => registrations.verify(r, t),
      allocator: createHostPortAllocator(hostPortStore(azurite), { range: { start: 40000, end: 40002 } }),
    };
    const route = { clusterRef: small.registration.clusterRef, token: small.token };
    expect(
      (
        await admission(
          withUid(review('echoserver'), 'aaaaaaaa-0000-4000-8000-000000000001'),
          () => tiny,
          route,
        )
      ).response.allowed,
    ).toBe(true);
    const { response } = await admission(
      withUid(review('echoserver'), 'aaaaaaaa-0000-4000-8000-000000000002'),
      () => tiny,
      route,
    );
    expect(response.allowed).toBe(false);
    expect(response.status).toEqual({
      code: 403,
      reason: 'Forbidden',
      message:
        'not enough free TCP host ports in 40000-40002: the pod needs 2 and only 1 of 3 is free in this cluster. Delete pods that use auto-assigned host ports; the repair pass releases the ports of deleted pods.',
    });
  });

  it('refuses a pod when the store fails (503), saying the controller retries', async () => {
    const dead = TableClientToNowhere();
    const broken: WebhookServices = {
      verify: services.verify,
      allocator: createHostPortAllocator(createTableHostPortStore(dead)),
    };
    const { response } = await admission(
      withUid(review('echoserver'), 'bbbbbbbb-0000-4000-8000-000000000001'),
      () => broken,
    );
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(503);
    expect(response.status?.reason).toBe('ServiceUnavailable');
    expect(response.status?.message).toMatch(
      /^host ports could not be assigned now \(HostPortStoreUnavailable\): .*the host-port store is unavailable.*; the pod's controller retries, or create the pod again$/,
    );
  });

  it('refuses with the setting to fix when the app has no storage configured', async () => {
    const unconfigured = (): WebhookServices => {
      throw new Error('App setting AzureWebJobsStorage: is not set');
    };
    const { response } = await admission(
      withUid(review('echoserver'), 'bbbbbbbb-0000-4000-8000-000000000002'),
      unconfigured,
    );
    expect(response.status).toEqual({
      code: 500,
      reason: 'InternalError',
      message: 'host ports could not be assigned: App setting AzureWebJobsStorage: is not set',
    });
  });
});

/** A table client whose endpoint has nobody listening, with no SDK retries so that it fails at once. */
function TableClientToNowhere() {
  const connectionString = azurite.connectionString.replace(
    /(TableEndpoint=http:\/\/[^:;]+:)\d+/,
    (_match, prefix: string) => `${prefix}9`, // port 9 (discard): nobody listens
  );
  expect(connectionString).not.toBe(azurite.connectionString);
  const nowhere = { ...azurite, connectionString };
  return tableClient(nowhere, 'hostports', 0);
}

describe('host-port webhook: malformed requests', () => {
  it.each<[string, unknown, string]>([
    ['a body that is not JSON', '{"kind": "AdmissionReview"', 'the body is not JSON'],
    ['a JSON array', [], 'the body is not a JSON object'],
    ['another kind', { ...review('plain-pod'), kind: 'Pod' }, 'kind is "Pod", expected "AdmissionReview"'],
    [
      'admission.k8s.io/v1beta1',
      { ...review('plain-pod'), apiVersion: 'admission.k8s.io/v1beta1' },
      'apiVersion is "admission.k8s.io/v1beta1"; this webhook answers admission.k8s.io/v1 only (admissionReviewVersions: [v1])',
    ],
    [
      'no request',
      { kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1' },
      'request is missing or not an object',
    ],
    [
      'no uid',
      { ...review('plain-pod'), request: { ...review('plain-pod').request, uid: '' } },
      'request.uid is missing: it must be echoed in the response',
    ],
    [
      'an object that is not a pod',
      { ...review('echoserver'), request: { ...review('echoserver').request, object: { kind: 'Pod' } } },
      'request.object is not a Pod (spec.containers is missing)',
    ],
  ])('answers 400 to %s', async (_name, body, message) => {
    const result = await call(body, untouchable);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: { code: 'MalformedAdmissionReview', message } });
  });
});
