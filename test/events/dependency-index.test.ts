/**
 * The Table Storage dependency index (shared/store/table-dependency-index.ts) on Azurite: record,
 * replace, lookup, forget; ids compared case-insensitively; an interrupted record heals.
 */
import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import type { Dependency } from '../../shared/store/dependency-index.js';
import { createStorageDependencyIndex, resourceKey } from '../../shared/store/table-dependency-index.js';
import { clusterKey } from '../../shared/store/table-keys.js';
import { useAzurite } from '../store/store-fixture.js';
import { uniqueName } from './event-world.js';
import { ids } from './fixtures.js';

const azurite = useAzurite();

function fresh(options: { refreshAfterMs?: number } = {}) {
  const names = { dependents: uniqueName('dependents'), dependencies: uniqueName('dependencies') };
  const index = createStorageDependencyIndex(azurite().storage, names, options);
  const table = (name: string) =>
    TableClient.fromConnectionString(azurite().azurite.connectionString, name, {
      allowInsecureConnection: true,
    });
  return { index, names, dependents: table(names.dependents), sets: table(names.dependencies) };
}

const egress = (resourceId: string): Dependency => ({ resourceId, role: 'egress' });
const target = (resourceId: string): Dependency => ({ resourceId, role: 'target' });
const lower = (rows: readonly { clusterId: string; role: string }[]) =>
  rows.map((r) => `${r.role} ${r.clusterId.toLowerCase()}`).sort();

describe('the dependency index', () => {
  it('finds the clusters that recorded a resource, with their role', async () => {
    const { index } = fresh();
    await index.record(ids.aks, [egress(ids.publicIp), target(ids.storage)]);
    await index.record(ids.arc, [target(ids.storage)]);
    expect(lower(await index.clustersDependingOn(ids.storage))).toEqual([
      `target ${ids.aks.toLowerCase()}`,
      `target ${ids.arc.toLowerCase()}`,
    ]);
    expect(lower(await index.clustersDependingOn(ids.publicIp))).toEqual([`egress ${ids.aks.toLowerCase()}`]);
    expect(await index.clustersDependingOn(ids.keyVault)).toEqual([]);
  });

  it.each([
    ['upper case', (id: string) => id.toUpperCase()],
    ['lower case', (id: string) => id.toLowerCase()],
    ['a trailing slash', (id: string) => `${id}/`],
    [
      'resourcegroups spelled as some events spell it',
      (id: string) => id.replace('resourceGroups', 'resourcegroups'),
    ],
  ])('compares ids case-insensitively: a lookup in %s finds the record', async (_name, spell) => {
    const { index } = fresh();
    await index.record(spell(ids.aks), [egress(spell(ids.natGateway))]);
    for (const lookup of [ids.natGateway, ids.natGateway.toUpperCase()]) {
      expect(lower(await index.clustersDependingOn(lookup))).toEqual([`egress ${ids.aks.toLowerCase()}`]);
    }
  });

  it('replaces the set: dependencies no longer recorded are no longer found', async () => {
    const { index } = fresh();
    await index.record(ids.aks, [egress(ids.publicIp), egress(ids.prefix)]);
    await index.record(ids.aks, [egress(ids.prefix), egress(ids.natGateway)]);
    expect(await index.clustersDependingOn(ids.publicIp)).toEqual([]);
    expect(lower(await index.clustersDependingOn(ids.prefix))).toHaveLength(1);
    expect(lower(await index.clustersDependingOn(ids.natGateway))).toHaveLength(1);
  });

  it('keeps one resource recorded in two roles as two dependencies', async () => {
    const { index } = fresh();
    await index.record(ids.aks, [
      egress(ids.storage),
      target(ids.storage),
      target(ids.storage.toUpperCase()),
    ]);
    expect(lower(await index.clustersDependingOn(ids.storage))).toEqual([
      `egress ${ids.aks.toLowerCase()}`,
      `target ${ids.aks.toLowerCase()}`,
    ]);
  });

  it('forgets a cluster entirely, leaving other clusters alone', async () => {
    const { index, sets } = fresh();
    await index.record(ids.aks, [target(ids.storage), egress(ids.publicIp)]);
    await index.record(ids.arc, [target(ids.storage)]);
    await index.forget(ids.aks);
    expect(lower(await index.clustersDependingOn(ids.storage))).toEqual([`target ${ids.arc.toLowerCase()}`]);
    expect(await index.clustersDependingOn(ids.publicIp)).toEqual([]);
    await expect(sets.getEntity(clusterKey(ids.aks), 'set')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('writes nothing when the recorded set has not changed', async () => {
    const { index, sets } = fresh();
    await index.record(ids.aks, [target(ids.storage)]);
    const before = (await sets.getEntity(clusterKey(ids.aks), 'set'))?.etag;
    await index.record(ids.aks, [target(ids.storage.toLowerCase())]);
    expect((await sets.getEntity(clusterKey(ids.aks), 'set'))?.etag).toBe(before);
  });

  it('heals a record that was interrupted after widening the set', async () => {
    const { index, sets } = fresh();
    // What a crash right after the first write leaves: an unsettled set naming a row never written.
    await sets.createTable();
    await sets.createEntity({
      partitionKey: clusterKey(ids.aks),
      rowKey: 'set',
      clusterId: ids.aks,
      settled: false,
      settledAt: '',
      entriesChunks: 1,
      entries0: JSON.stringify([egress(ids.publicIp)]),
    });
    await index.record(ids.aks, [egress(ids.publicIp)]);
    expect(lower(await index.clustersDependingOn(ids.publicIp))).toEqual([`egress ${ids.aks.toLowerCase()}`]);
    expect((await sets.getEntity(clusterKey(ids.aks), 'set'))?.['settled']).toBe(true);
  });

  it('rewrites every row once the set is older than the refresh interval', async () => {
    const { index, dependents } = fresh({ refreshAfterMs: 0 });
    await index.record(ids.aks, [egress(ids.natGateway)]);
    await dependents.deleteEntity(resourceKey(ids.natGateway), `egress|${clusterKey(ids.aks)}`);
    await index.record(ids.aks, [egress(ids.natGateway)]);
    expect(lower(await index.clustersDependingOn(ids.natGateway))).toHaveLength(1);
  });
});
