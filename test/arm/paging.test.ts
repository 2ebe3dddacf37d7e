/**
 * List paging (ADR 0016): past the page size a list answers a `nextLink` carrying the request's
 * api-version and a `$skipToken`, which the SDK pagers follow; a paged POST action (App
 * Configuration listKeys) is followed with POST.
 */
import { AppConfigurationManagementClient } from '@azure/arm-appconfiguration';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { ResourceManagementClient } from '@azure/arm-resources';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import {
  clientOptions,
  location,
  poll,
  resourceGroup,
  startTestEmulator,
  subscriptionId,
  uniqueName,
} from './helpers.js';
import { raw } from './raw.js';

let emulator: ArmEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ throttling: false });
});
afterAll(async () => await emulator?.close());
afterEach(() => emulator.paging.setPageSize(undefined));

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}

const groupsPath = `/subscriptions/${subscriptionId}/resourcegroups?api-version=2021-04-01`;

describe('list paging', () => {
  it('answers pages with a nextLink that keeps the api-version, and none on the last page', async () => {
    const resources = new ResourceManagementClient(
      emulator.credential(),
      subscriptionId,
      clientOptions(emulator),
    );
    for (const i of [1, 2, 3, 4]) await resources.resourceGroups.createOrUpdate(`rg-page-${i}`, { location });
    emulator.paging.setPageSize(2);

    const first = await raw(emulator, 'GET', groupsPath);
    expect(first.body['value']).toHaveLength(2);
    const nextLink = first.body['nextLink'] as string;
    const next = new URL(nextLink);
    expect(`${next.protocol}//${next.host}`).toBe(emulator.endpoint);
    expect(next.searchParams.get('api-version')).toBe('2021-04-01');
    expect(next.searchParams.get('$skipToken')).toBeTruthy();

    const names: string[] = [];
    let link: string | undefined = groupsPath;
    let pages = 0;
    while (link !== undefined) {
      const page = await raw(emulator, 'GET', link);
      names.push(...(page.body['value'] as { name: string }[]).map((g) => g.name));
      link = page.body['nextLink'] as string | undefined;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(names.sort()).toEqual([resourceGroup, 'rg-page-1', 'rg-page-2', 'rg-page-3', 'rg-page-4'].sort());

    // The SDK's pager follows the same links.
    expect((await collect(resources.resourceGroups.list())).map((g) => g.name).sort()).toEqual(names.sort());
  });

  it('pages a resource type list through the SDK pager', async () => {
    const msi = new ManagedServiceIdentityClient(
      emulator.credential(),
      subscriptionId,
      clientOptions(emulator),
    );
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const name = uniqueName('id-page-');
      await msi.userAssignedIdentities.createOrUpdate(resourceGroup, name, { location });
      created.push(name);
    }
    emulator.paging.setPageSize(1);
    const since = Date.now();
    const listed = await collect(msi.userAssignedIdentities.listByResourceGroup(resourceGroup));
    expect(listed.map((i) => i.name)).toEqual(expect.arrayContaining(created));
    const reads = emulator.requestLog.entries({ since, method: 'GET', path: /\/userAssignedIdentities$/i });
    expect(reads).toHaveLength(listed.length);
  });

  it('pages a POST action, whose later pages are POSTs to the nextLink', async () => {
    const ac = new AppConfigurationManagementClient(
      emulator.credential(),
      subscriptionId,
      clientOptions(emulator),
    );
    const name = uniqueName('appcs');
    const store = await ac.configurationStores.beginCreateAndWait(
      resourceGroup,
      name,
      { location, sku: { name: 'standard' } },
      poll,
    );
    emulator.paging.setPageSize(3);
    const first = await raw(emulator, 'POST', `${store.id ?? ''}/listKeys?api-version=2024-05-01`);
    expect(first.body['value']).toHaveLength(3);
    const second = await raw(emulator, 'POST', first.body['nextLink'] as string);
    expect((second.body['value'] as { name: string }[]).map((k) => k.name)).toEqual(['Secondary Read Only']);
    expect(second.body['nextLink']).toBeUndefined();
  });

  it('refuses a skip token it did not issue', async () => {
    emulator.paging.setPageSize(2);
    const response = await raw(emulator, 'GET', `${groupsPath}&$skipToken=bm90LWEtdG9rZW4`);
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('InvalidSkipToken');
  });

  it('refuses a page size that is not a positive integer', () => {
    expect(() => emulator.paging.setPageSize(0)).toThrow(/positive integer/);
  });
});
