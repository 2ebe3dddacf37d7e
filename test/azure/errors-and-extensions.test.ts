import { RestError, createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typedApiVersions, restApiVersion } from '../../shared/azure/api-versions.js';
import { createAzurePorts } from '../../shared/azure/create-azure-ports.js';
import { classifySdkError } from '../../shared/azure/failures.js';
import { armRetryPolicyName } from '../../shared/azure/retry-policy.js';
import { RetryableError, TerminalError } from '../../shared/errors/index.js';
import {
  demoIds,
  demoSubscriptionId,
  lines,
  startAzureWorld,
  targetIds,
  type AzureWorld,
  anyString,
} from './world.js';

let world: AzureWorld;
beforeAll(async () => {
  world = await startAzureWorld();
});
afterAll(async () => await world?.close());

const testRetries = 2;

describe('throttling and transient failures', () => {
  it.each([
    ['a typed read', 'GET', demoIds.cluster, () => world.ports.clusters.getCluster(demoIds.cluster)],
    [
      'a REST write',
      'PATCH',
      targetIds.keyVault,
      () =>
        world.ports.targets.writeFirewall(targetIds.keyVault, {
          kind: 'replace-list',
          method: 'PATCH',
          path: '',
          body: { properties: { networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '20.50.0.7' }] } } },
        }),
    ],
  ])(
    'retries %s on 429 a bounded number of times, then throws RetryableError with the Retry-After',
    async (_case, method, path, call) => {
      const fault = world.emulator.faults.inject({
        method,
        path,
        status: 429,
        code: 'SubscriptionRequestsThrottled',
        headers: { 'retry-after': '1', 'x-ms-retry-after-ms': '15' },
      });
      try {
        const requests = await world.requestsOf(async () => {
          await expect(call()).rejects.toMatchObject({
            constructor: RetryableError,
            reason: 'Throttled',
            status: 429,
            retryAfterMs: 15,
          });
        });
        expect(requests.map((r) => r.status)).toEqual(Array.from({ length: testRetries + 1 }, () => 429));
      } finally {
        fault.remove();
      }
    },
  );

  it('does not sleep through a long Retry-After: one request, and the wait is handed to the queue', async () => {
    // The production retry settings: waits of up to 3 s are taken in-process, longer ones are not.
    const ports = createAzurePorts({
      endpoint: world.emulator.endpoint,
      credential: world.emulator.credential(),
    });
    const fault = world.emulator.faults.inject({
      method: 'GET',
      path: demoIds.cluster,
      status: 429,
      code: 'SubscriptionRequestsThrottled',
      headers: { 'retry-after': '30' },
    });
    try {
      const started = Date.now();
      const requests = await world.requestsOf(async () => {
        await expect(ports.clusters.getCluster(demoIds.cluster)).rejects.toMatchObject({
          constructor: RetryableError,
          retryAfterMs: 30_000,
        });
      });
      expect(requests).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      fault.remove();
    }
  });

  it.each([
    ['429 with a short Retry-After', 429, 'SubscriptionRequestsThrottled', { 'x-ms-retry-after-ms': '5' }],
    ['500', 500, 'InternalServerError', {}],
    ['503 without Retry-After', 503, 'ServiceUnavailable', {}],
  ])('succeeds when a %s clears within the retries', async (_case, status, code, headers) => {
    const fault = world.emulator.faults.inject({
      method: 'GET',
      path: demoIds.cluster,
      status,
      code,
      headers,
      count: 2,
    });
    const requests = await world.requestsOf(async () => {
      expect((await world.ports.clusters.getCluster(demoIds.cluster))?.body.id).toBe(demoIds.cluster);
    });
    expect(requests.map((r) => r.status)).toEqual([status, status, 200]);
    expect(fault.hits()).toBe(2);
  });

  it('throws RetryableError after the retries when a 500 persists', async () => {
    const fault = world.emulator.faults.inject({
      method: 'POST',
      path: '**/listKeys',
      status: 500,
      code: 'InternalServerError',
    });
    try {
      const requests = await world.requestsOf(async () => {
        await expect(world.ports.targets.action(targetIds.storage, '/listKeys')).rejects.toMatchObject({
          constructor: RetryableError,
          reason: 'TransientFailure',
          code: 'InternalServerError',
        });
      });
      expect(requests).toHaveLength(testRetries + 1);
    } finally {
      fault.remove();
    }
  });
});

describe('terminal failures', () => {
  it.each([
    [
      'a typed key action',
      'Microsoft.Storage/storageAccounts/listKeys/action',
      () => world.ports.targets.action(targetIds.storage, '/listKeys'),
    ],
    [
      'a REST firewall write',
      'Microsoft.Storage/storageAccounts/write',
      () =>
        world.ports.targets.writeFirewall(targetIds.storage, {
          kind: 'replace-list',
          method: 'PATCH',
          path: '',
          body: { properties: { networkAcls: { defaultAction: 'Deny', ipRules: [] } } },
        }),
    ],
  ])(
    'turns AuthorizationFailed on %s into a TerminalError naming the action, without retrying',
    async (_case, action, call) => {
      const rule = world.emulator.rbac.deny({
        principalId: world.emulator.principal().principalId,
        action,
        scope: targetIds.storage,
      });
      try {
        const requests = await world.requestsOf(async () => {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(TerminalError);
          expect(error).toMatchObject({
            reason: 'AuthorizationFailed',
            status: 403,
            mitigation: anyString,
          });
          expect((error as Error).message).toContain(action);
        });
        expect(requests).toHaveLength(1);
      } finally {
        rule.remove();
      }
    },
  );

  it('turns MissingSubscriptionRegistration into a TerminalError, and the provider port reports and starts the registration', async () => {
    /** The emulator's default (dev/arm/platform/subscriptions.ts), restored for the other tests. */
    const defaultRegistrationSeconds = 30;
    const namespace = 'Microsoft.KubernetesConfiguration';
    world.emulator.providers.set(demoSubscriptionId, namespace, 'NotRegistered');
    // Long enough, even under a time scale on a loaded machine, to observe `Registering`.
    world.emulator.providers.setRegistrationSeconds(24 * 3600);
    await expect(
      world.ports.extensions.create(demoIds.cluster, 'sc-extension', {
        properties: { extensionType: 'microsoft.servicelinker.connection' },
      }),
    ).rejects.toMatchObject({
      constructor: TerminalError,
      reason: 'ProviderNotRegistered',
      code: 'MissingSubscriptionRegistration',
    });
    expect(await world.ports.providers.registrationState(demoSubscriptionId, namespace)).toBe(
      'NotRegistered',
    );
    const requests = await world.requestsOf(() =>
      world.ports.providers.register(demoSubscriptionId, namespace),
    );
    expect(lines(requests)).toEqual([
      `POST /subscriptions/${demoSubscriptionId}/providers/${namespace}/register 200`,
    ]);
    expect(requests[0]?.apiVersion).toBe(typedApiVersions['Microsoft.Resources/providers']);
    expect(await world.ports.providers.registrationState(demoSubscriptionId, namespace)).toBe('Registering');
    world.emulator.providers.set(demoSubscriptionId, namespace, 'Registered');
    world.emulator.providers.setRegistrationSeconds(defaultRegistrationSeconds);
    expect(
      await world.ports.providers.registrationState(demoSubscriptionId, 'Microsoft.Nope'),
    ).toBeUndefined();
  });

  it('refuses ids of the wrong type before calling ARM', async () => {
    const requests = await world.requestsOf(async () => {
      await expect(world.ports.clusters.getCluster(targetIds.storage)).rejects.toMatchObject({
        constructor: TerminalError,
        reason: 'InvalidResourceId',
      });
      await expect(world.ports.network.read([targetIds.storage])).rejects.toMatchObject({
        reason: 'UnsupportedResourceType',
      });
      await expect(world.ports.targets.action(targetIds.keyVault, '/listKeys')).rejects.toMatchObject({
        reason: 'UnsupportedResourceType',
      });
    });
    expect(requests).toEqual([]);
  });

  it('never quotes the body of a successful response it could not read (it may hold keys)', () => {
    const secret = 'c2VjcmV0LWtleS12YWx1ZQ==';
    const request = createPipelineRequest({
      url: `${world.emulator.endpoint}${targetIds.storage}/listKeys`,
      method: 'POST',
    });
    const error = new RestError(
      `Error occurred in deserializing the responseBody - {"keys":[{"value":"${secret}"}]}`,
      {
        statusCode: 200,
        request,
        response: {
          status: 200,
          headers: createHttpHeaders(),
          request,
          bodyAsText: `{"keys":[{"value":"${secret}"}]}`,
        },
      },
    );
    const classified = classifySdkError(error, `${targetIds.storage}/listKeys`);
    expect(classified).toBeInstanceOf(TerminalError);
    expect(JSON.stringify(classified) + (classified as Error).message).not.toContain(secret);
  });
});

describe('ExtensionPort', () => {
  it.each([
    ['managed', demoIds.cluster],
    ['connected', targetIds.arc],
  ])(
    'creates the extension on a %s cluster with one PUT, never polls, reads it in REST shape and deletes it',
    async (_kind, clusterId) => {
      const id = `${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions/sc-extension`;
      expect(await world.ports.extensions.get(clusterId, 'sc-extension')).toBeUndefined();
      const body = {
        properties: {
          extensionType: 'microsoft.servicelinker.connection',
          autoUpgradeMinorVersion: true,
          scope: { cluster: { releaseNamespace: 'sc-system' } },
        },
      };
      let started: Awaited<ReturnType<typeof world.ports.extensions.create>> | undefined;
      const created = await world.requestsOf(async () => {
        started = await world.ports.extensions.create(clusterId, 'sc-extension', body);
        await world.emulator.operations.idle();
      });
      expect(started).toMatchObject({
        state: 'accepted',
        body: { properties: { provisioningState: 'Creating' } },
      });
      expect(lines(created)).toEqual([`PUT ${id} 201`]);
      expect(created[0]?.apiVersion).toBe(restApiVersion('Microsoft.KubernetesConfiguration/extensions'));

      let read: Awaited<ReturnType<typeof world.ports.extensions.get>>;
      const got = await world.requestsOf(async () => {
        read = await world.ports.extensions.get(clusterId, 'sc-extension');
      });
      expect(read?.properties).toMatchObject({ ...body.properties, provisioningState: 'Succeeded' });
      expect(read).not.toHaveProperty('extensionType');
      expect(got.map((r) => r.apiVersion)).toEqual([
        typedApiVersions['Microsoft.KubernetesConfiguration/extensions'],
      ]);
      const listed = await world.ports.extensions.list(clusterId);
      expect(listed.map((e) => [e.name, e.properties?.['extensionType']])).toContainEqual([
        'sc-extension',
        'microsoft.servicelinker.connection',
      ]);

      let deleted: Awaited<ReturnType<typeof world.ports.extensions.delete>> | undefined;
      const removed = await world.requestsOf(async () => {
        deleted = await world.ports.extensions.delete(clusterId, 'sc-extension');
        await world.emulator.operations.idle();
      });
      expect(deleted).toMatchObject({ state: 'accepted' });
      expect(removed.map((r) => r.method)).toEqual(['DELETE']);
      expect(await world.ports.extensions.delete(clusterId, 'sc-extension')).toBe('absent');
    },
  );

  it('lists no extensions of a cluster that is gone', async () => {
    expect(await world.ports.extensions.list(`${demoIds.cluster}-gone`)).toEqual([]);
  });
});

describe('construction', () => {
  it('builds each typed client once per subscription, with the capped retry policy in place of the SDK default', async () => {
    await world.ports.clusters.getCluster(demoIds.cluster);
    const before = world.ports.internals.clients.size;
    await world.ports.clusters.getCluster(demoIds.cluster);
    await world.ports.clusters.getAgentPool(`${demoIds.cluster}/agentPools/system`);
    expect(world.ports.internals.clients.size).toBe(before);
    const aks = await world.ports.internals.clients.containerService(demoSubscriptionId);
    for (const pipeline of [
      aks.pipeline,
      (await world.ports.internals.clients.msi(demoSubscriptionId)).pipeline,
      world.ports.internals.rest.pipeline,
    ]) {
      const names = pipeline.getOrderedPolicies().map((p) => p.name);
      expect(names).toContain(armRetryPolicyName);
      expect(names).not.toContain('defaultRetryPolicy');
    }
  });
});
