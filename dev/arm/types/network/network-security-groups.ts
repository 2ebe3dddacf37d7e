/**
 * Microsoft.Network/networkSecurityGroups and their securityRules children. Rules given inline in
 * the NSG body and rules written as children are the same thing in Azure; here the child records
 * are the truth and the NSG body shows them (plus the six default rules) on every read.
 */
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import type { World } from '../../engine/world.js';
import {
  etag,
  networkApiVersions,
  networkDeleteLro,
  networkEnvelope,
  networkPutLro,
  networkTransient,
  resourceGuid,
  validateNetworkName,
} from './network-shared.js';
import {
  checkRuleConflicts,
  defaultSecurityRules,
  validateSecurityRule,
} from './security-rule-validation.js';

export const securityRuleType = 'Microsoft.Network/networkSecurityGroups/securityRules';

function inlineRules(
  world: World,
  nsgId: string,
  input: JsonObject,
): { name: string; properties: JsonObject }[] {
  return arr(obj(input['properties'])['securityRules']).map((r) => {
    const name = str(obj(r)['name']) ?? '';
    return {
      name,
      properties: validateSecurityRule(
        world,
        `${nsgId}/securityRules/${name}`,
        name,
        obj(obj(r)['properties']),
      ),
    };
  });
}

/** Stores rule children for an NSG (replacing the previous set). */
export function replaceRules(
  world: World,
  nsgId: string,
  rules: readonly { name: string; properties: JsonObject }[],
): void {
  for (const old of world.children(nsgId, securityRuleType)) world.store.delete(old.id);
  for (const r of rules) {
    const id = `${nsgId}/securityRules/${r.name}`;
    world.store.put({
      id,
      type: securityRuleType,
      body: {
        id,
        name: r.name,
        type: securityRuleType,
        etag: etag(),
        properties: { provisioningState: 'Succeeded', ...r.properties },
      },
      secrets: {},
      internal: {},
    });
  }
}

function build(ctx: BuildContext) {
  const { input, existing, world, id } = ctx;
  const rules = inlineRules(world, id, input);
  checkRuleConflicts(rules);
  return {
    body: { ...networkEnvelope(input), etag: etag(), properties: { resourceGuid: resourceGuid(existing) } },
    // PUT replaces the rule set (omitting securityRules removes them, as in Azure); PATCH keeps it.
    internal: ctx.method === 'PUT' ? { pendingRules: rules } : {},
  };
}

export const networkSecurityGroups: ResourceTypeDef = {
  type: 'Microsoft.Network/networkSecurityGroups',
  apiVersions: networkApiVersions,
  validateName: validateNetworkName,
  transientStates: networkTransient,
  put: { lro: networkPutLro, build },
  patch: {},
  delete: { lro: networkDeleteLro },
  afterWrite: ({ resource, world }) => {
    const pending = resource.internal['pendingRules'] as
      { name: string; properties: JsonObject }[] | undefined;
    if (pending !== undefined) replaceRules(world, resource.id, pending);
    delete resource.internal['pendingRules'];
  },
  present: (body, world) => {
    const id = str(body['id']) ?? '';
    const p = obj(body['properties']);
    p['securityRules'] = world.children(id, securityRuleType).map((r) => structuredClone(r.body));
    p['defaultSecurityRules'] = defaultSecurityRules(id);
    const subnets = world.store
      .list('Microsoft.Network/virtualNetworks/subnets')
      .filter((s) =>
        world.sameId(str(obj(obj(s.body['properties'])['networkSecurityGroup'])['id']) ?? '', id),
      )
      .map((s) => ({ id: s.id }));
    if (subnets.length > 0) p['subnets'] = subnets;
    return body;
  },
};

export const securityRules: ResourceTypeDef = {
  type: securityRuleType,
  apiVersions: networkApiVersions,
  transientStates: networkTransient,
  put: {
    lro: networkPutLro,
    build: ({ input, id, name, world, parent }: BuildContext) => {
      const properties = validateSecurityRule(world, id, name, obj(input['properties']));
      const siblings = world
        .children(parent?.id ?? '', securityRuleType)
        .filter((r) => !world.sameId(r.id, id))
        .map((r) => ({ name: str(r.body['name']) ?? '', properties: obj(r.body['properties']) }));
      checkRuleConflicts([...siblings, { name, properties }]);
      return { body: { etag: etag(), properties } };
    },
  },
  delete: { lro: networkDeleteLro },
};
