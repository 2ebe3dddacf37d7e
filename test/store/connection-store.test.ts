import { QueueClient } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { acceptDelete, acceptPut, type ConnectionRecord } from '../../shared/model/connection.js';
import type { LinkerSpec } from '../../shared/model/linker-spec.js';
import { parseWorkItem, workItem } from '../../shared/model/work-item.js';
import { createTableConnectorStore } from '../../shared/store/connector-store.js';
import { createStorageWorkQueue, reconcileQueueName } from '../../shared/store/work-queue.js';
import { storeLimits } from '../../shared/model/limits.js';
import {
  clusterId,
  subscriptionId,
  validate,
  withValue,
  workloadIdentityBody,
} from '../model/linker-fixtures.js';
import { useAzurite } from './store-fixture.js';

const azurite = useAzurite();
const t0 = new Date('2026-11-22T10:00:00.000Z');
let tables = 0;

/** Each test gets its own tables, so tests do not see each other's rows. */
function store() {
  tables += 1;
  return createTableConnectorStore(azurite().storage, {
    connections: `connections${tables}`,
    templates: `templates${tables}`,
    operations: `operations${tables}`,
  });
}

function spec(body = workloadIdentityBody()): LinkerSpec {
  const draft = validate(body).draft;
  if (draft === undefined) throw new Error('fixture is invalid');
  return draft as unknown as LinkerSpec;
}

function record(name: string, onCluster = clusterId, body = workloadIdentityBody()): ConnectionRecord {
  return acceptPut(
    undefined,
    { clusterId: onCluster, name, spec: spec(body) },
    { operationId: `op-${name}`, revision: `r-${name}`, now: t0 },
  );
}

const otherCluster = `/subscriptions/${subscriptionId}/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/edge1`;

describe('the connection store on Azurite', () => {
  it('creates, reads back (names and cluster ids in any case) and refuses a second create', async () => {
    const { connections } = store();
    const written = await connections.save(record('Blob_Conn'), { absent: true });
    expect(written.ok).toBe(true);
    const read = await connections.get(clusterId.toUpperCase(), 'blob_conn');
    expect(read).toMatchObject({ ...record('Blob_Conn'), storeEtag: written.ok ? written.storeEtag : '' });
    expect(await connections.save(record('blob_conn'), { absent: true })).toEqual({
      ok: false,
      reason: 'conflict',
    });
  });

  it('replaces only at the ETag that was read', async () => {
    const { connections } = store();
    await connections.save(record('a'), { absent: true });
    const read = await connections.get(clusterId, 'a');
    if (read === undefined) throw new Error('not written');
    const next = acceptPut(
      read,
      { clusterId, name: 'a', spec: read.spec },
      { operationId: 'op-2', revision: 'r2', now: t0 },
    );
    const first = await connections.save(next, read);
    const second = await connections.save(next, read);
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, reason: 'conflict' });
    expect((await connections.get(clusterId, 'a'))?.generation).toBe(2);
  });

  it('lists the connections of one cluster in name order, and every cluster that has some', async () => {
    const { connections } = store();
    for (const r of [record('b'), record('A'), record('c', otherCluster)])
      await connections.save(r, { absent: true });
    expect((await connections.listByCluster(clusterId)).map((c) => c.name)).toEqual(['A', 'b']);
    expect((await connections.listClusterIds()).sort()).toEqual([clusterId, otherCluster].sort());
  });

  it('writes status at the ETag read, and a stale status write loses', async () => {
    const { connections } = store();
    await connections.save(record('a'), { absent: true });
    const read = await connections.get(clusterId, 'a');
    if (read === undefined) throw new Error('not written');
    const update = {
      provisioningState: 'Succeeded' as const,
      observedGeneration: 1,
      status: [{ name: 'Firewall', result: 'Succeeded' as const, lastTransitionTime: t0.toISOString() }],
      inventory: { firewallRules: [{ resourceId: 'x', value: '20.1.2.3' }] },
    };
    expect((await connections.writeStatus(clusterId, 'a', update, read.storeEtag)).ok).toBe(true);
    expect(await connections.writeStatus(clusterId, 'a', update, read.storeEtag)).toEqual({
      ok: false,
      reason: 'conflict',
    });
    const after = await connections.get(clusterId, 'a');
    expect(after).toMatchObject({ ...update, spec: read.spec, revision: read.revision });
  });

  it('a user change after the reconciler read makes the reconciler status write lose', async () => {
    const { connections } = store();
    await connections.save(record('a'), { absent: true });
    const seenByReconciler = await connections.get(clusterId, 'a');
    if (seenByReconciler === undefined) throw new Error('not written');
    const changed = acceptPut(
      seenByReconciler,
      { clusterId, name: 'a', spec: seenByReconciler.spec },
      { operationId: 'op-2', revision: 'r2', now: t0 },
    );
    await connections.save(changed, seenByReconciler);
    const update = {
      provisioningState: 'Succeeded' as const,
      observedGeneration: 1,
      status: [],
      inventory: {},
    };
    expect((await connections.writeStatus(clusterId, 'a', update, seenByReconciler.storeEtag)).ok).toBe(
      false,
    );
    expect((await connections.get(clusterId, 'a'))?.provisioningState).toBe('Accepted');
  });

  it('bounds a status that would not fit the row', async () => {
    const { connections } = store();
    await connections.save(record('a'), { absent: true });
    const read = await connections.get(clusterId, 'a');
    if (read === undefined) throw new Error('not written');
    const long = 'x'.repeat(10_000);
    const status = Array.from({ length: 40 }, (_, i) => ({
      name: `Step${i}`,
      result: 'Failed' as const,
      message: long,
      mitigation: long,
      lastTransitionTime: t0.toISOString(),
    }));
    const update = { provisioningState: 'Failed' as const, observedGeneration: 1, status, inventory: {} };
    expect((await connections.writeStatus(clusterId, 'a', update, read.storeEtag)).ok).toBe(true);
    const stored = (await connections.get(clusterId, 'a'))?.status ?? [];
    expect(stored).toHaveLength(32);
    expect(stored[0]?.message?.length).toBe(1024);
  });

  it('removes a deleted connection only at the ETag read', async () => {
    const { connections } = store();
    await connections.save(record('a'), { absent: true });
    const read = await connections.get(clusterId, 'a');
    if (read === undefined) throw new Error('not written');
    await connections.save(acceptDelete(read, { operationId: 'op-d', revision: 'rd', now: t0 }), read);
    expect(await connections.remove(clusterId, 'a', read.storeEtag)).toBe('conflict');
    const deleting = await connections.get(clusterId, 'a');
    expect(deleting).toMatchObject({
      lifecycle: 'deleting',
      deletion: { cleanup: { firewallRules: false } },
    });
    expect(await connections.remove(clusterId, 'a', deleting?.storeEtag ?? '')).toBe('removed');
    expect(await connections.remove(clusterId, 'a', deleting?.storeEtag ?? '')).toBe('absent');
    expect(await connections.get(clusterId, 'a')).toBeUndefined();
  });

  it('stores a connection larger than one property across chunks', async () => {
    const { connections } = store();
    const big = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`VALUE_${i}`, 'x'.repeat(30_000)]));
    const body = withValue(workloadIdentityBody(), 'properties.configurationInfo', {
      additionalConfigurations: big,
    });
    const large = record('big', clusterId, body);
    expect(JSON.stringify(large.spec).length).toBeGreaterThan((64 * 1024) / 2);
    expect(JSON.stringify(large.spec).length).toBeLessThan(storeLimits.specChars);
    await connections.save(large, { absent: true });
    expect((await connections.get(clusterId, 'big'))?.spec).toEqual(large.spec);
  });
});

describe('templates and operations on Azurite', () => {
  it('saves, lists and removes templates with ETag conditions', async () => {
    const { templates } = store();
    const template = {
      name: 'Blob-For-Prod',
      spec: { selector: { tags: { env: 'prod' } }, connection: { name: 'blob', properties: spec() } },
      revision: 'r1',
      createdAt: t0.toISOString(),
      lastModifiedAt: t0.toISOString(),
    };
    const saved = await templates.save(template, { absent: true });
    expect(await templates.save(template, { absent: true })).toEqual({ ok: false, reason: 'conflict' });
    expect(await templates.get('blob-for-prod')).toMatchObject(template);
    expect((await templates.list()).map((t) => t.name)).toEqual(['Blob-For-Prod']);
    expect(await templates.remove('blob-for-prod', 'W/"stale"')).toBe('conflict');
    expect(await templates.remove('blob-for-prod', saved.ok ? saved.storeEtag : '')).toBe('removed');
    expect(await templates.list()).toEqual([]);
  });

  it('completes an operation once; a second completion leaves the first outcome', async () => {
    const { operations } = store();
    const op = {
      id: '4f7e1d2c-0000-4000-8000-000000000001',
      kind: 'put' as const,
      resourceId: `${clusterId}/providers/Microsoft.ServiceLinker/linkers/a`,
      clusterId,
      linkerName: 'a',
      generation: 1,
      status: 'InProgress' as const,
      startTime: t0.toISOString(),
    };
    await operations.create(op);
    expect(
      await operations.complete(
        op.id,
        { status: 'Failed', error: { code: 'AuthorizationFailed', message: 'm' } },
        t0,
      ),
    ).toBe('completed');
    expect(await operations.complete(op.id, { status: 'Succeeded' }, t0)).toBe('alreadyTerminal');
    expect(
      await operations.complete('4f7e1d2c-0000-4000-8000-000000000002', { status: 'Succeeded' }, t0),
    ).toBe('absent');
    expect(await operations.get(op.id)).toMatchObject({
      status: 'Failed',
      endTime: t0.toISOString(),
      error: { code: 'AuthorizationFailed' },
    });
  });
});

describe('the work queue on Azurite', () => {
  it('puts base64 JSON work items on the reconcile queue, creating it on first use', async () => {
    const queue = createStorageWorkQueue(azurite().storage);
    const item = workItem(clusterId, 'api', t0);
    await queue.enqueue(item);
    const client = new QueueClient(azurite().azurite.connectionString, reconcileQueueName);
    const { receivedMessageItems } = await client.receiveMessages();
    const text = receivedMessageItems[0]?.messageText ?? '';
    expect(JSON.parse(Buffer.from(text, 'base64').toString('utf8'))).toEqual(item);
    expect(parseWorkItem(text)).toEqual(item);
  });
});
