import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restApiVersion, typedApiVersions } from '../../shared/azure/api-versions.js';
import type { EgressPlan } from '../../shared/reconcile/egress/egress-plan.js';
import { desiredFirewall } from '../../shared/reconcile/firewall/desired.js';
import { planFirewall } from '../../shared/reconcile/firewall/firewall-plan.js';
import { list, type ArmChild } from '../../shared/targets/arm-body.js';
import { configurationNeeds, targetModule } from '../../shared/targets/catalog.js';
import type { FirewallObservation } from '../../shared/targets/firewall/form.js';
import { identifyTarget, type TargetKind } from '../../shared/targets/kinds.js';
import { armResourceType, parseArmId } from '../../shared/util/arm-id.js';
import { rangeKey } from '../../shared/util/ip.js';
import { gatherEgress } from './egress.js';
import {
  demoIds,
  startAzureWorld,
  targetIds,
  userRule,
  type AzureWorld,
  containing,
  including,
} from './world.js';

let world: AzureWorld;
let egress: EgressPlan;
beforeAll(async () => {
  world = await startAzureWorld();
  egress = await gatherEgress(world.ports, demoIds.cluster);
});
afterAll(async () => await world?.close());

function resourceIdOf(targetId: string): string {
  const ref = identifyTarget(targetId);
  if (!ref.ok) throw new Error(ref.reason);
  return ref.target.resourceId;
}

function typedVersionOf(resourceId: string): string | undefined {
  const type = armResourceType(parseArmId(resourceId)).toLowerCase();
  return Object.entries(typedApiVersions).find(([t]) => t.toLowerCase() === type)?.[1];
}

const kindTargets: readonly (readonly [TargetKind, string])[] = [
  ['storage-blob', `${targetIds.storage}/blobServices/default`],
  ['storage-queue', `${targetIds.storage}/queueServices/default`],
  ['storage-table', `${targetIds.storage}/tableServices/default`],
  ['storage-file', `${targetIds.storage}/fileServices/default`],
  ['keyvault', targetIds.keyVault],
  ['cosmos-sql', `${targetIds.cosmos}/sqlDatabases/app`],
  ['cosmos-mongo', `${targetIds.cosmosMongo}/mongodbDatabases/app`],
  ['cosmos-cassandra', `${targetIds.cosmos}/cassandraKeyspaces/app`],
  ['cosmos-gremlin', `${targetIds.cosmos}/gremlinDatabases/app/graphs/g`],
  ['cosmos-table', `${targetIds.cosmosTable}/tables/t`],
  ['sql', `${targetIds.sql}/databases/app`],
  ['postgres-flexible', demoIds.postgresDatabase],
  ['mysql-flexible', `${targetIds.mysql}/databases/app`],
  ['redis', `${targetIds.redis}/databases/0`],
  ['servicebus', targetIds.serviceBus],
  ['eventhub', targetIds.eventHub],
  ['appconfig', targetIds.appConfig],
  ['cognitiveservices', targetIds.cognitive],
];

const namedUserRule = {
  value: [
    containing({
      name: 'user',
      properties: containing({ startIpAddress: userRule }),
    }),
  ],
};

describe('TargetPort reads and key actions', () => {
  it.each(kindTargets)(
    'reads the %s target in REST shape and fetches exactly the keys its secret configuration needs',
    async (kind, targetId) => {
      const ref = identifyTarget(targetId);
      if (!ref.ok) throw new Error(ref.reason);
      const { resourceId, childNames } = ref.target;
      const requests = await world.requestsOf(async () => {
        const resource = await world.ports.targets.read(resourceId);
        expect(resource?.id?.toLowerCase()).toBe(resourceId.toLowerCase());
        expect(resource?.properties).toEqual(expect.any(Object));
        const needs = configurationNeeds(kind, 'secret', 'none', resource ?? {});
        if (!needs.ok) {
          // Key Vault has no secret auth type; nothing else to fetch.
          expect(kind).toBe('keyvault');
          return;
        }
        if (needs.keysAction === undefined) return;
        const keys = await world.ports.targets.action(resourceId, needs.keysAction.path);
        const recipe = targetModule(kind).configuration('secret', 'none', resource ?? {});
        if (!recipe.ok) throw new Error(recipe.message);
        const fromKeys = recipe.items.filter((i) => i.source === 'keys');
        expect(fromKeys.length).toBeGreaterThan(0);
        for (const item of fromKeys) {
          expect(item.value({ resource: resource ?? {}, childNames, keys })).toMatch(/\S{8,}/);
        }
      });
      const withKeys = ['sql', 'postgres-flexible', 'mysql-flexible', 'keyvault'].includes(kind) ? 1 : 2;
      expect(requests.map((r) => r.method)).toEqual(withKeys === 1 ? ['GET'] : ['GET', 'POST']);
      expect(requests[0]?.apiVersion).toBe(typedVersionOf(resourceId));
    },
  );

  it('reads a target that does not exist as undefined', async () => {
    expect(await world.ports.targets.read(`${targetIds.sql}-gone`)).toBeUndefined();
  });

  it.each([
    [
      'Service Bus namespace',
      `${targetIds.serviceBus}/networkRuleSets/default`,
      { properties: { ipRules: [{ ipMask: userRule, action: 'Allow' }] } },
    ],
    [
      'Event Hubs namespace',
      `${targetIds.eventHub}/networkRuleSets/default`,
      { properties: { ipRules: [{ ipMask: userRule, action: 'Allow' }] } },
    ],
    [
      'Redis cache',
      `${targetIds.redis}/firewallRules`,
      {
        value: [
          containing({
            name: 'user',
            properties: containing({ startIP: userRule }),
          }),
        ],
      },
    ],
    ['SQL server', `${targetIds.sql}/firewallRules`, namedUserRule],
    ['PostgreSQL flexible server', `${demoIds.postgresServer}/firewallRules`, namedUserRule],
    ['MySQL flexible server', `${targetIds.mysql}/firewallRules`, namedUserRule],
  ])('reads the firewall form extra of a %s with one GET', async (_what, path, expected) => {
    let read: unknown;
    const requests = await world.requestsOf(async () => {
      read = await world.ports.targets.readPath(path);
    });
    expect(read).toMatchObject(expected);
    expect(requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('reads the firewall rules of a missing server as undefined', async () => {
    expect(await world.ports.targets.readPath(`${targetIds.sql}-gone/firewallRules`)).toBeUndefined();
  });
});

async function observe(kind: TargetKind, resourceId: string): Promise<FirewallObservation> {
  const form = targetModule(kind).firewall;
  const resource = (await world.ports.targets.read(resourceId)) ?? {};
  if (form.extraRead === 'networkRuleSet') {
    const networkRuleSet =
      (await world.ports.targets.readPath(`${resourceId}/networkRuleSets/default`)) ?? {};
    return { resource, networkRuleSet };
  }
  if (form.extraRead === 'firewallRules') {
    const firewallRules = list(
      await world.ports.targets.readPath(`${resourceId}/firewallRules`),
      'value',
    ) as ArmChild[];
    return { resource, firewallRules };
  }
  return { resource };
}

function ruleKeys(kind: TargetKind, observed: FirewallObservation): string[] {
  return targetModule(kind)
    .firewall.readState(observed)
    .rules.flatMap((r) => (r.range === undefined ? [] : [rangeKey(r.range)]));
}

/** Each form, and what of the rule object outside the rule list must survive the write unchanged. */
const firewallTargets: readonly (readonly [
  TargetKind,
  'replace-list' | 'child-rules',
  string,
  { readonly at: string; readonly kept: Record<string, unknown> },
])[] = [
  [
    'storage-blob',
    'replace-list',
    `${targetIds.storage}/blobServices/default`,
    { at: '', kept: { networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny' } } },
  ],
  [
    'keyvault',
    'replace-list',
    targetIds.keyVault,
    {
      at: '',
      kept: {
        enableRbacAuthorization: true,
        networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny' },
      },
    },
  ],
  [
    'cosmos-sql',
    'replace-list',
    `${targetIds.cosmos}/sqlDatabases/app`,
    { at: '', kept: { databaseAccountOfferType: 'Standard' } },
  ],
  [
    'cognitiveservices',
    'replace-list',
    targetIds.cognitive,
    { at: '', kept: { networkAcls: { defaultAction: 'Deny' } } },
  ],
  [
    'servicebus',
    'replace-list',
    targetIds.serviceBus,
    { at: '/networkRuleSets/default', kept: { defaultAction: 'Deny' } },
  ],
  [
    'eventhub',
    'replace-list',
    targetIds.eventHub,
    { at: '/networkRuleSets/default', kept: { defaultAction: 'Deny' } },
  ],
  [
    'sql',
    'child-rules',
    `${targetIds.sql}/databases/app`,
    { at: '/firewallRules/user', kept: { startIpAddress: userRule } },
  ],
  [
    'postgres-flexible',
    'child-rules',
    demoIds.postgresDatabase,
    { at: '/firewallRules/user', kept: { startIpAddress: userRule } },
  ],
  [
    'mysql-flexible',
    'child-rules',
    `${targetIds.mysql}/databases/app`,
    { at: '/firewallRules/user', kept: { startIpAddress: userRule } },
  ],
  [
    'redis',
    'child-rules',
    `${targetIds.redis}/databases/0`,
    { at: '/firewallRules/user', kept: { startIP: userRule } },
  ],
];

describe('TargetPort firewall writes from the real planner', () => {
  it.each(firewallTargets)(
    'adds the demo cluster egress to the %s firewall (%s), keeps the user rule, converges, then removes a stale address',
    async (kind, writeKind, targetId, { at, kept: survives }) => {
      const resourceId = resourceIdOf(targetId);
      const form = targetModule(kind).firewall;
      const egressKeys = egress.addresses.map((a) => a.key);
      expect(egressKeys).toHaveLength(3);

      // Add: the cluster's load balancer IPs and its node pool prefix.
      const first = planFirewall({
        form,
        observed: await observe(kind, resourceId),
        desired: desiredFirewall(egress, [{}]),
        ours: [],
        othersOwned: [],
      });
      if (first.write === undefined) throw new Error(`no write planned: ${JSON.stringify(first.checks)}`);
      expect(first.write.kind).toBe(writeKind);
      const added = await world.requestsOf(async () => {
        await world.ports.targets.writeFirewall(
          resourceId,
          first.write ?? { kind: 'child-rules', put: [], delete: [] },
        );
        await world.emulator.operations.idle();
      });
      expect(added.map((r) => r.method)).toEqual(
        writeKind === 'replace-list'
          ? [first.write.kind === 'replace-list' ? first.write.method : '']
          : ['PUT', 'PUT', 'PUT'],
      );
      const writtenType = added[0]?.resourceType ?? '';
      expect(added.every((r) => r.apiVersion === restApiVersion(writtenType))).toBe(true);
      const afterAdd = await observe(kind, resourceId);
      expect(ruleKeys(kind, afterAdd)).toEqual(including([...egressKeys, `${userRule}/32`]));
      expect(world.emulator.resource(`${resourceId}${at}`)?.['properties']).toMatchObject(survives);

      // Converged: planning again with the record writes nothing.
      const again = planFirewall({
        form,
        observed: afterAdd,
        desired: desiredFirewall(egress, [{}]),
        ours: first.record,
        othersOwned: [],
      });
      expect(again.write).toBeUndefined();

      // Remove: one load balancer IP left the egress; only that recorded rule goes.
      const [stale, ...kept] = egress.addresses;
      const shrunk: EgressPlan = { ...egress, addresses: kept };
      const second = planFirewall({
        form,
        observed: afterAdd,
        desired: desiredFirewall(shrunk, [{}]),
        ours: first.record,
        othersOwned: [],
      });
      expect(second.removed).toHaveLength(1);
      const removed = await world.requestsOf(async () => {
        await world.ports.targets.writeFirewall(
          resourceId,
          second.write ?? { kind: 'child-rules', put: [], delete: [] },
        );
        await world.emulator.operations.idle();
      });
      expect(removed).toHaveLength(1);
      expect(removed[0]?.method).toBe(writeKind === 'replace-list' ? added[0]?.method : 'DELETE');
      const keys = ruleKeys(kind, await observe(kind, resourceId));
      expect(keys).not.toContain(stale?.key);
      expect(keys).toEqual(including([...kept.map((a) => a.key), `${userRule}/32`]));
    },
  );
});
