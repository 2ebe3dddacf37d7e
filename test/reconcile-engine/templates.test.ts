/**
 * Connection templates applied by the reconcile (the cluster's id, tags and kind as just read):
 * the template's connection is created, follows template changes, never takes over a connection a
 * person made; and the cluster's dependencies land in the real dependency index.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { createSecretCipher } from '../../shared/model/secret-cipher.js';
import { sealDraft } from '../../shared/model/seal-spec.js';
import { validateTemplateBody, type TemplateRecord } from '../../shared/model/template.js';
import { Issues } from '../../shared/model/validation/issues.js';
import { clusterId, newWorld, udrClusterId, useEmulators, type World } from './harness.js';

const emulators = useEmulators();
let world: World;

function connectionBody(scope: string) {
  return {
    targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
    authInfo: { authType: 'secret' },
    scope,
    publicNetworkSolution: { action: 'optOut' },
  };
}

/** Saves a template as the API's PUT does (validated, secrets sealed, a new revision). */
async function saveTemplate(name: string, selector: Record<string, unknown>, scope: string): Promise<void> {
  const issues = new Issues();
  const draft = validateTemplateBody(
    { properties: { selector, connection: { name: 'tpl-blob', properties: connectionBody(scope) } } },
    issues,
  );
  if (draft === undefined || !issues.ok) throw new Error(JSON.stringify(issues.list));
  const cipher = createSecretCipher({ current: world.settings.secretEncryptionKey as Buffer });
  const properties = sealDraft(
    draft.connection.properties,
    { cipher, previous: undefined, path: 'x' },
    issues,
  );
  if (properties === undefined) throw new Error('not sealed');
  const templates = world.runtime.engine.store.templates;
  const existing = await templates.get(name);
  const now = new Date().toISOString();
  const record: TemplateRecord = {
    name,
    spec: { selector: draft.selector, connection: { name: draft.connection.name, properties } },
    revision: randomUUID(),
    createdAt: existing?.createdAt ?? now,
    lastModifiedAt: now,
  };
  const saved = await templates.save(record, existing ?? { absent: true });
  if (!saved.ok) throw new Error('template not saved');
}

beforeAll(async () => {
  world = await newWorld(emulators(), { dependencyIndex: true });
});

describe('connection templates', () => {
  it('create their connection on every matching cluster, and none on the others', async () => {
    await saveTemplate(
      'blob-everywhere',
      { resourceGroups: ['rg-connector-*'], clusterKinds: ['managedClusters'] },
      'apps',
    );
    await saveTemplate('prod-only', { tags: { env: 'prod' } }, 'prod');
    expect((await world.converge()).outcome).toBe('converged');
    const created = await world.connection('tpl-blob');
    expect(created).toMatchObject({
      provisioningState: 'Succeeded',
      generation: 1,
      spec: { scope: 'apps' },
      inventory: { template: { name: 'blob-everywhere' } },
    });
    const secret = emulators().kube.cluster(clusterId)?.get('v1', 'Secret', 'apps', 'sc-tplblob-secret');
    expect(secret).toBeDefined();
    const operation = await world.runtime.engine.store.operations.get(created?.operationId ?? '');
    expect(operation?.status).toBe('Succeeded');
  });

  it('update the connection they created when the template changes', async () => {
    await saveTemplate(
      'blob-everywhere',
      { resourceGroups: ['rg-connector-*'], clusterKinds: ['managedClusters'] },
      'web',
    );
    await world.converge();
    expect(await world.connection('tpl-blob')).toMatchObject({
      provisioningState: 'Succeeded',
      generation: 2,
      spec: { scope: 'web' },
    });
    expect(
      emulators().kube.cluster(clusterId)?.get('v1', 'Secret', 'web', 'sc-tplblob-secret'),
    ).toBeDefined();
  });

  it('leave a connection a person made under the same name alone and say so on the cluster', async () => {
    await world.put('tpl-blob', { properties: connectionBody('mine') }, udrClusterId);
    await world.converge(udrClusterId);
    expect(await world.connection('tpl-blob', udrClusterId)).toMatchObject({
      generation: 1,
      spec: { scope: 'mine' },
      inventory: {},
    });
    const status = await world.runtime.engine.clusterStatus.get(udrClusterId);
    expect(status?.steps).toEqual([
      expect.objectContaining({
        name: 'Template:blob-everywhere',
        result: 'Failed',
        reasonCode: 'TemplateConnectionNameTaken',
      }),
    ]);
  });
});

describe('the dependency index', () => {
  it("records the cluster's egress resources and targets, so events about them find the cluster", async () => {
    const index = world.runtime.engine.dependencyIndex;
    if (index === undefined) throw new Error('the world has no dependency index');
    const byTarget = await index.clustersDependingOn(demoIds.storageAccount.toUpperCase());
    expect(byTarget.map((d) => [d.clusterId.toLowerCase(), d.role]).sort()).toEqual(
      [
        [clusterId.toLowerCase(), 'target'],
        [udrClusterId.toLowerCase(), 'target'],
      ].sort(),
    );
    expect(await index.clustersDependingOn(demoIds.nodePublicIpPrefix)).toEqual([]);
  });
});
