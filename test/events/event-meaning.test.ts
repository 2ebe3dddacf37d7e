import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArmEvent } from '../../shared/events/arm-event.js';
import {
  handledOperations,
  meaningOf,
  targetProviders,
  type EventMeaning,
} from '../../shared/events/meaning.js';
import { eventGridEvent, fixtureEvent, ids, schemas, type Schema } from './fixtures.js';

async function meaning(name: string, schema: Schema, edit?: (e: Record<string, unknown>) => void) {
  const event = fixtureEvent(name, schema);
  edit?.(event);
  const parsed = await parseArmEvent(event);
  if (parsed.outcome !== 'arm') throw new Error(`${name} did not parse: ${JSON.stringify(parsed)}`);
  return meaningOf(parsed.event);
}

const clusters = (...clusterIds: string[]) => ({ action: 'clusters', clusterIds });
const lookups = (role: string, ...resourceIds: string[]) => ({
  action: 'dependents',
  lookups: resourceIds.map((resourceId) => ({ resourceId, roles: [role] })),
});
const storageChain = [`${ids.storage}/blobServices/default`, ids.storage];

// What each event means (docs/events.md); ids as the events spell them, compared case-insensitively.
const table: [string, string, Expected][] = [
  ['a managed cluster write reconciles that cluster', 'managed-cluster-write', clusters(ids.aks)],
  [
    'a managed cluster delete reconciles that cluster, which finds it gone',
    'managed-cluster-delete',
    clusters(ids.aks),
  ],
  ['a node pool write reconciles its cluster', 'agent-pool-write', clusters(ids.aks)],
  ['a node pool delete reconciles its cluster', 'agent-pool-delete', clusters(ids.aks)],
  ['a connected cluster write reconciles that cluster', 'connected-cluster-write', clusters(ids.arc)],
  ['a connected cluster delete reconciles that cluster', 'connected-cluster-delete', clusters(ids.arc)],
  ['a public IP write looks up its egress dependents', 'public-ip-write', lookups('egress', ids.publicIp)],
  ['a public IP delete looks up its egress dependents', 'public-ip-delete', lookups('egress', ids.publicIp)],
  [
    'a public IP prefix write looks up its egress dependents',
    'public-ip-prefix-write',
    lookups('egress', ids.prefix),
  ],
  [
    'a public IP prefix delete looks up its egress dependents',
    'public-ip-prefix-delete',
    lookups('egress', ids.prefix),
  ],
  [
    'a NAT gateway write looks up its egress dependents',
    'nat-gateway-write',
    lookups('egress', ids.natGateway),
  ],
  [
    'a storage account write looks up the clusters targeting it',
    'storage-account-write',
    lookups('target', ids.storage),
  ],
  [
    'a blob service write looks up its chain of targets',
    'storage-blob-service-write',
    lookups('target', ...storageChain),
  ],
  [
    'a SQL firewall rule delete looks up the server as a target',
    'sql-firewall-rule-delete',
    lookups('target', `${ids.sql}/firewallRules/sc-aks-prod-1-20-61-4-17`, ids.sql),
  ],
  [
    'a key vault delete looks up the clusters targeting it',
    'key-vault-delete',
    lookups('target', ids.keyVault),
  ],
  ['the delete of sc-extension reconciles its cluster', 'extension-delete-connector', clusters(ids.aks)],
  ['the delete of another extension is ignored', 'extension-delete-flux', { action: 'ignore' }],
  [
    'a role assignment delete looks up its scope as a target',
    'role-assignment-delete',
    lookups('target', ids.storage),
  ],
  [
    'a federated credential delete looks up its identity',
    'federated-credential-delete',
    lookups('identity', ids.identity),
  ],
  [
    'an identity delete looks up its dependents',
    'user-assigned-identity-delete',
    lookups('identity', ids.identity),
  ],
  ['listKeys is ignored', 'storage-list-keys-action', { action: 'ignore' }],
  ['listClusterUserCredential is ignored', 'cluster-user-credential-action', { action: 'ignore' }],
  ['a deployment write is ignored', 'deployment-write', { action: 'ignore' }],
];

type Expected = {
  readonly action: string;
  readonly clusterIds?: string[];
  readonly lookups?: { resourceId: string; roles: string[] }[];
};

/** Ids compared as ARM compares them. */
function normalized(m: EventMeaning | Expected): unknown {
  if (m.action === 'clusters' && m.clusterIds !== undefined)
    return { action: m.action, clusterIds: m.clusterIds.map((i) => i.toLowerCase()) };
  if (m.action === 'dependents' && m.lookups !== undefined)
    return {
      action: m.action,
      lookups: m.lookups.map((l) => ({ resourceId: l.resourceId.toLowerCase(), roles: l.roles })),
    };
  return { action: m.action };
}

describe('what an ARM event means', () => {
  describe.each(schemas)('delivered in the %s', (schema) => {
    it.each(table)('%s', async (_name, fixture, expected) => {
      expect(normalized(await meaning(fixture, schema))).toEqual(normalized(expected));
    });
  });

  it.each([
    ['operation names in lower case', (e: Record<string, unknown>) => lower(e, 'operationName')],
    ['resource ids in upper case', (e: Record<string, unknown>) => upper(e, 'resourceUri')],
  ])('reads %s the same way', async (_name, edit) => {
    const expected = normalized(await meaning('agent-pool-write', 'EventGridSchema'));
    expect(normalized(await meaning('agent-pool-write', 'EventGridSchema', edit))).toEqual(expected);
  });

  it('ignores a success event whose operation did not succeed', async () => {
    const m = await meaning('managed-cluster-write', 'EventGridSchema', (e) => {
      (e['data'] as Record<string, unknown>)['status'] = 'Failed';
    });
    expect(m).toMatchObject({ action: 'ignore', why: expect.stringContaining('did not succeed') as string });
  });

  it('ignores a node pool event whose id names no cluster above it', async () => {
    const m = await meaning('agent-pool-write', 'EventGridSchema', (e) => {
      const data = e['data'] as Record<string, unknown>;
      data['resourceUri'] = `${ids.storage}/agentPools/x`;
    });
    expect(m.action).toBe('ignore');
  });
});

describe('the event subscriptions of ADR 0060 (infra/app/event-grid.bicep)', () => {
  const bicep = readFileSync(new URL('../../infra/app/event-grid.bicep', import.meta.url), 'utf8');
  const list = (name: string) =>
    [...(new RegExp(`var ${name} = \\[([^\\]]*)\\]`).exec(bicep)?.[1] ?? '').matchAll(/'([^']+)'/g)].map(
      (m) => m[1] as string,
    );

  it('deliver only operations that have a rule here', () => {
    const filtered = list('clusterOperations').map((o) => o.toLowerCase());
    expect(filtered.length).toBeGreaterThan(10);
    expect(handledOperations).toEqual(expect.arrayContaining(filtered));
  });

  it('deliver the target providers this code looks up', () => {
    expect(list('targetProviders')).toEqual(targetProviders);
  });

  it('would deliver an event this code ignores only as an action or a failure', async () => {
    for (const name of ['storage-list-keys-action', 'cluster-user-credential-action']) {
      const event = eventGridEvent(name);
      const parsed = await parseArmEvent(event);
      expect(parsed.outcome === 'arm' && meaningOf(parsed.event).action).toBe('ignore');
    }
  });
});

function lower(e: Record<string, unknown>, field: string) {
  const data = e['data'] as Record<string, string>;
  data[field] = (data[field] ?? '').toLowerCase();
}

function upper(e: Record<string, unknown>, field: string) {
  const data = e['data'] as Record<string, string>;
  data[field] = (data[field] ?? '').toUpperCase();
}
