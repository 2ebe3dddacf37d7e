/**
 * Poisoned reconciles (ADR 0092) on Azurite: the `reconcilePoison` handler records the cluster and
 * marks each of its connections with a `Poisoned` step and Failed; the API's operation then ends
 * Failed with that reason; GET /api/health counts the cluster; a successful reconcile clears it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import functions from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { workHealth } from '../../shared/health/report.js';
import { createReconcilePoisonHandler } from '../../functions/reconcile-poison.js';
import {
  clearPoisonMark,
  type PoisonDeps,
  poisonedStepName,
  reconcileMaxDequeueCount,
} from '../../shared/events/poison.js';
import { acceptDelete, acceptPut, type ConnectionRecord } from '../../shared/model/connection.js';
import type { LinkerSpec } from '../../shared/model/linker-spec.js';
import { completionFor, type OperationRecord } from '../../shared/model/operation.js';
import { encodeWorkItem, workItem } from '../../shared/model/work-item.js';
import { silentLogger } from '../../shared/runtime/logger.js';
import { createTableConnectorStore } from '../../shared/store/connector-store.js';
import { createStoragePoisonRegistry } from '../../shared/store/poison-registry.js';
import { clusterId, subscriptionId, validate, workloadIdentityBody } from '../model/linker-fixtures.js';
import { useAzurite } from '../store/store-fixture.js';
import { uniqueName } from './event-world.js';

const azurite = useAzurite();
const t0 = new Date('2026-11-22T10:00:00.000Z');
const otherCluster = `/subscriptions/${subscriptionId}/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/edge1`;

function spec(): LinkerSpec {
  return validate(workloadIdentityBody()).draft as unknown as LinkerSpec;
}

function record(name: string, onCluster = clusterId): ConnectionRecord {
  return acceptPut(
    undefined,
    { clusterId: onCluster, name, spec: spec() },
    { operationId: `op-${name}`, revision: `r-${name}`, now: t0 },
  );
}

function world() {
  const store = createTableConnectorStore(azurite().storage, {
    connections: uniqueName('connections'),
    templates: uniqueName('templates'),
    operations: uniqueName('operations'),
  });
  const deps: PoisonDeps = {
    registry: createStoragePoisonRegistry(azurite().storage, uniqueName('poisoned')),
    connections: store.connections,
    clock: () => new Date('2026-11-22T11:00:00.000Z'),
  };
  const logs: string[] = [];
  const context = new functions.InvocationContext({
    invocationId: randomUUID(),
    functionName: 'reconcilePoison',
    logHandler: (level, ...args) => logs.push(`${level} ${args.map(String).join(' ')}`),
  });
  const poison = (message: unknown) => createReconcilePoisonHandler(() => deps)(message, context);
  return { store, deps, logs, poison };
}

describe('poisoned reconciles', () => {
  it.each([
    ['the decoded object the host hands over', (item: unknown) => item],
    ['the raw base64 text', (item: unknown) => encodeWorkItem(item as ReturnType<typeof workItem>)],
  ])('mark every connection of the cluster, given %s', async (_name, form) => {
    const { store, deps, poison } = world();
    await store.connections.save(record('storage_conn'), { absent: true });
    await store.connections.save(
      acceptDelete(record('vault_conn'), { operationId: 'op-del', revision: 'r2', now: t0 }),
      { absent: true },
    );
    await store.connections.save(record('edge_conn', otherCluster), { absent: true });

    const outcome = await poison(form(workItem(clusterId, 'event', t0)));

    expect(outcome).toEqual({ outcome: 'recorded', clusterId, connectionsMarked: 2 });
    const marked = await store.connections.listByCluster(clusterId);
    expect(marked.map((c) => c.lifecycle)).toEqual(['active', 'deleting']);
    for (const connection of marked) {
      expect(connection?.provisioningState).toBe('Failed');
      expect(connection?.observedGeneration).toBe(connection?.generation);
      const step = connection?.status.find((s) => s.name === poisonedStepName);
      expect(step).toMatchObject({ result: 'Failed', reasonCode: 'ReconcilePoisoned' });
      expect(step?.message).toContain(`failed ${reconcileMaxDequeueCount} times`);
      expect(step?.mitigation).toMatch(/PUT the connection again/);
    }
    expect((await store.connections.get(otherCluster, 'edge_conn'))?.status).toEqual([]);
    expect(await deps.registry.get(clusterId)).toMatchObject({ clusterId, cause: 'event', dequeueCount: 5 });
  });

  it('ends the connection’s running operation as Failed with the poison reason', async () => {
    const { store, poison } = world();
    await store.connections.save(record('storage_conn'), { absent: true });
    await poison(workItem(clusterId, 'api', t0));
    const connection = await store.connections.get(clusterId, 'storage_conn');
    const operation: OperationRecord = {
      id: 'op-storage_conn',
      kind: 'put',
      resourceId: `${clusterId}/providers/Microsoft.ServiceLinker/linkers/storage_conn`,
      clusterId,
      linkerName: 'storage_conn',
      generation: 1,
      status: 'InProgress',
      startTime: t0.toISOString(),
    };
    expect(connection && completionFor(connection, operation)).toMatchObject({
      status: 'Failed',
      error: { code: 'ReconcilePoisoned', target: poisonedStepName },
    });
  });

  it('acknowledges a poisoned message that is not a work item, logging no content', async () => {
    const { poison, logs, deps } = world();
    expect(await poison('c2VjcmV0LXZhbHVl')).toEqual({ outcome: 'unreadable' });
    expect(logs.join('\n')).not.toContain('c2VjcmV0LXZhbHVl');
    expect(await deps.registry.count(10)).toBe(0);
  });

  it('shows in health as a count, and a successful reconcile clears it', async () => {
    const { store, deps, poison } = world();
    await store.connections.save(record('storage_conn'), { absent: true });
    await poison(workItem(clusterId, 'sweep', t0));
    await poison(workItem(clusterId.toUpperCase(), 'sweep', t0)); // the same cluster, counted once
    await poison(workItem(otherCluster, 'event', t0));
    expect(await workHealth(() => deps.registry)).toEqual({
      poisonedClusters: 2,
      poisonedClustersCapped: false,
    });

    expect(await clearPoisonMark(deps, clusterId, silentLogger)).toBe(true);
    const connection = await store.connections.get(clusterId, 'storage_conn');
    expect(connection?.status.map((s) => s.name)).not.toContain(poisonedStepName);
    expect(connection?.provisioningState).toBe('Succeeded');
    expect(await workHealth(() => deps.registry)).toMatchObject({ poisonedClusters: 1 });
    expect(await clearPoisonMark(deps, clusterId, silentLogger)).toBe(false);
  });

  it('states the attempts host.json gives a reconcile before poisoning it', () => {
    const host = JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8')) as {
      extensions: { queues: { maxDequeueCount: number } };
    };
    expect(reconcileMaxDequeueCount).toBe(host.extensions.queues.maxDequeueCount);
  });

  it('reports health without a count when storage does not answer', async () => {
    const registry = createStoragePoisonRegistry(azurite().storage, 'not_a_valid_table_name');
    expect(await workHealth(() => registry)).toMatchObject({
      poisonedClusters: undefined,
      problem: expect.any(String) as string,
    });
  });
});
