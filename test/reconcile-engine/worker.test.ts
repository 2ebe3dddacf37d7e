/**
 * The queue worker (functions/reconcile-worker.ts) with the real engine, lease store and queue:
 * per-cluster serialization, deferral without spending the dequeue count, collapsing of requests
 * a complete reconcile already covered, requeues for work in flight, and the two retry paths.
 */
import { readFileSync } from 'node:fs';
import functions from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { createReconcileWorker, hostVisibilityTimeoutMs } from '../../functions/reconcile-worker.js';
import { RetryableError } from '../../shared/errors/index.js';
import { handlePoisonedWork, type PoisonDeps } from '../../shared/events/poison.js';
import { silentLogger } from '../../shared/runtime/logger.js';
import { createStoragePoisonRegistry } from '../../shared/store/poison-registry.js';
import { parseWorkItem, workItem } from '../../shared/model/work-item.js';
import { clusterId, newWorld, useEmulators, type World } from './harness.js';

const emulators = useEmulators();

function context(): functions.InvocationContext {
  return new functions.InvocationContext({
    invocationId: `test-${Math.random()}`,
    functionName: 'reconcileWorker',
  });
}

async function connected(): Promise<World> {
  const world = await newWorld(emulators());
  await world.put('blob', {
    properties: {
      targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
      authInfo: { authType: 'secret' },
      scope: 'apps',
    },
  });
  return world;
}

/** Every message on the world's queue, visible or not (visible ones peeked, the count from Storage). */
async function queued(world: World): Promise<{ visible: unknown[]; total: number }> {
  const client = new QueueClient(emulators().azurite.connectionString, world.queueName);
  if (!(await client.exists())) return { visible: [], total: 0 };
  const { peekedMessageItems } = await client.peekMessages({ numberOfMessages: 32 });
  const { approximateMessagesCount } = await client.getProperties();
  return {
    visible: peekedMessageItems.map((m) => parseWorkItem(m.messageText)),
    total: approximateMessagesCount ?? 0,
  };
}

const message = (cause: 'api' | 'event' = 'api', at = new Date()) => workItem(clusterId, cause, at);

describe('the reconcile queue worker', () => {
  it('uses the visibility timeout host.json gives failed messages', () => {
    const host = JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8')) as {
      extensions: { queues: { visibilityTimeout: string; messageEncoding: string } };
    };
    const [h, m, s] = host.extensions.queues.visibilityTimeout.split(':').map(Number);
    expect(((h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0)) * 1000).toBe(hostVisibilityTimeoutMs);
    expect(host.extensions.queues.messageEncoding).toBe('base64');
  });

  it('drops a message that is not a work item without throwing', async () => {
    const world = await connected();
    const worker = createReconcileWorker(() => world.runtime);
    expect(await worker({ v: 2, clusterId }, context())).toEqual({ kind: 'invalid' });
  });

  it('reconciles, requeues itself while work is in flight, and stops once converged', async () => {
    const world = await connected();
    const worker = createReconcileWorker(() => world.runtime);
    const first = await worker(message(), context());
    expect(first).toMatchObject({
      kind: 'reconciled',
      requeuedAfterMs: 15_000,
      result: { outcome: 'inProgress' },
    });
    expect((await queued(world)).total).toBe(1);
    await emulators().arm.operations.idle();
    const second = await worker(message('event'), context());
    expect(second).toMatchObject({ kind: 'reconciled', result: { outcome: 'converged' } });
    expect(second).not.toHaveProperty('requeuedAfterMs');
    expect((await queued(world)).total).toBe(1);
    expect((await world.connection('blob'))?.provisioningState).toBe('Succeeded');
  });

  it('defers a message while another instance holds the cluster, without touching the cluster', async () => {
    const world = await connected();
    const taken = await world.runtime.leases.acquire(clusterId, 'another-instance', 60_000);
    expect(taken.acquired).toBe(true);
    const worker = createReconcileWorker(() => world.runtime);
    const since = Date.now();
    const outcome = await worker(message(), context());
    expect(outcome).toMatchObject({ kind: 'deferred', holder: 'another-instance' });
    if (outcome.kind !== 'deferred') throw new Error('expected a deferral');
    expect(outcome.delayMs).toBeGreaterThanOrEqual(59_000);
    expect(outcome.delayMs).toBeLessThanOrEqual(62_000);
    expect(await queued(world)).toEqual({ visible: [], total: 1 });
    expect(emulators().arm.requestLog.count({ since })).toBe(0);
    expect((await world.connection('blob'))?.provisioningState).toBe('Accepted');
  });

  it('completes without work a message requested before the last complete reconcile started', async () => {
    const world = await connected();
    const worker = createReconcileWorker(() => world.runtime);
    const old = new Date(Date.now() - 60_000);
    await emulators().arm.operations.idle();
    await worker(message(), context());
    const since = Date.now();
    expect(await worker(message('event', old), context())).toEqual({ kind: 'covered' });
    expect(emulators().arm.requestLog.count({ since })).toBe(0);
  });

  it('throws a transient failure with a short Retry-After for the platform to redeliver, and frees the cluster', async () => {
    const world = await connected();
    const fault = emulators().arm.faults.inject({
      method: 'GET',
      path: '/subscriptions/*/resourceGroups/*/providers/Microsoft.ContainerService/managedClusters/aks-demo',
      status: 500,
      code: 'InternalServerError',
      count: 1,
    });
    const worker = createReconcileWorker(() => world.runtime);
    await expect(worker(message(), context())).rejects.toBeInstanceOf(RetryableError);
    expect(fault.hits()).toBe(1);
    const next = await world.runtime.leases.acquire(clusterId, 'after', 60_000);
    expect(next).toMatchObject({ acquired: true, coveredUntil: undefined });
  });

  it('re-enqueues with the server delay a Retry-After longer than the visibility timeout', async () => {
    const world = await connected();
    emulators().arm.faults.inject({
      method: 'GET',
      path: '/subscriptions/*/resourceGroups/*/providers/Microsoft.ContainerService/managedClusters/aks-demo',
      status: 429,
      code: 'TooManyRequests',
      count: 1,
      headers: { 'retry-after': '60' },
    });
    const worker = createReconcileWorker(() => world.runtime);
    expect(await worker(message(), context())).toMatchObject({ kind: 'reconciled', requeuedAfterMs: 60_000 });
    expect(await queued(world)).toEqual({ visible: [], total: 1 });
  });

  it('clears the poison mark of a cluster once a reconcile succeeds again', async () => {
    const world = await connected();
    const poison: PoisonDeps = {
      registry: createStoragePoisonRegistry(
        world.settings.storage,
        `poison${world.queueName.replace(/-/g, '')}`,
      ),
      connections: world.runtime.engine.store.connections,
      clock: () => new Date(),
    };
    const marked = await handlePoisonedWork(
      Buffer.from(JSON.stringify(message())).toString('base64'),
      poison,
      silentLogger,
    );
    expect(marked).toMatchObject({ outcome: 'recorded', connectionsMarked: 1 });
    expect((await world.connection('blob'))?.status.map((s) => s.name)).toContain('Poisoned');
    const worker = createReconcileWorker(
      () => world.runtime,
      () => poison,
    );
    await emulators().arm.operations.idle();
    await worker(message(), context());
    expect(await poison.registry.get(clusterId)).toBeUndefined();
    expect((await world.connection('blob'))?.status.map((s) => s.name)).not.toContain('Poisoned');
  });
});
