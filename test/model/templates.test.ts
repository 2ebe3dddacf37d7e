import { describe, expect, it } from 'vitest';
import { Issues } from '../../shared/model/validation/issues.js';
import { validateTemplateBody } from '../../shared/model/template.js';
import {
  globMatches,
  selectorMismatch,
  templateMatchesCluster,
  type ClusterFacts,
  type TemplateSelector,
} from '../../shared/model/template-match.js';
import { subscriptionId, withValue, workloadIdentityBody } from './linker-fixtures.js';

const otherSubscription = '00000000-0000-0000-0000-000000000002';
const aks = (rg: string, name = 'aks1', sub = subscriptionId) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;

function templateBody(selector: unknown): Record<string, unknown> {
  return {
    properties: { selector, connection: { name: 'blob', properties: workloadIdentityBody()['properties'] } },
  };
}

function check(body: unknown) {
  const issues = new Issues();
  const draft = validateTemplateBody(body, issues);
  return { draft: issues.ok ? draft : undefined, issues: issues.list };
}

describe('template bodies', () => {
  it.each([
    ['a subscription selector', { subscriptions: [subscriptionId.toUpperCase()] }],
    ['a resource group glob', { resourceGroups: ['rg-*'] }],
    ['tags, one with any value', { tags: { env: 'prod', team: '*' } }],
    ['cluster kinds', { clusterKinds: ['connectedClusters'] }],
    [
      'every field at once',
      {
        subscriptions: [subscriptionId],
        resourceGroups: ['rg-?-prod'],
        tags: { env: 'prod' },
        clusterKinds: ['managedClusters', 'connectedClusters'],
      },
    ],
  ])('accepts %s', (_name, selector) => {
    expect(check(templateBody(selector)).issues).toEqual([]);
  });

  it('lower-cases subscription ids and keeps the connection validated like a linker', () => {
    const { draft } = check(templateBody({ subscriptions: [subscriptionId.toUpperCase()] }));
    expect(draft?.selector.subscriptions).toEqual([subscriptionId]);
    expect(draft?.connection).toMatchObject({
      name: 'blob',
      properties: { scope: 'default', clientType: 'python' },
    });
  });

  it.each([
    ['an empty selector (too broad)', templateBody({}), 'InvalidValue', 'properties.selector'],
    [
      'a selector with only empty lists',
      templateBody({ subscriptions: [], tags: {} }),
      'InvalidValue',
      'properties.selector.subscriptions',
    ],
    [
      'a missing selector',
      withValue(templateBody({}), 'properties.selector', undefined),
      'MissingProperty',
      'properties.selector',
    ],
    [
      'a subscription that is not a GUID',
      templateBody({ subscriptions: ['prod'] }),
      'InvalidValue',
      'properties.selector.subscriptions[0]',
    ],
    [
      'a resource group glob with a slash',
      templateBody({ resourceGroups: ['rg/*'] }),
      'InvalidValue',
      'properties.selector.resourceGroups[0]',
    ],
    [
      'a tag value that is not a string',
      templateBody({ tags: { env: 1 } }),
      'InvalidType',
      'properties.selector.tags.env',
    ],
    [
      'an unknown cluster kind',
      templateBody({ clusterKinds: ['virtualMachines'] }),
      'InvalidValue',
      'properties.selector.clusterKinds',
    ],
    [
      'an unknown selector field',
      templateBody({ regions: ['westeurope'] }),
      'UnknownProperty',
      'properties.selector.regions',
    ],
    [
      'a connection without a name',
      withValue(templateBody({ tags: { a: 'b' } }), 'properties.connection.name', undefined),
      'MissingProperty',
      'properties.connection.name',
    ],
    [
      'a connection name with a slash',
      withValue(templateBody({ tags: { a: 'b' } }), 'properties.connection.name', 'a/b'),
      'InvalidValue',
      'properties.connection.name',
    ],
    [
      'a connection with an invalid namespace',
      withValue(templateBody({ tags: { a: 'b' } }), 'properties.connection.properties.scope', 'NS'),
      'InvalidValue',
      'properties.connection.properties.scope',
    ],
    [
      'a connection with an unsupported auth type',
      withValue(templateBody({ tags: { a: 'b' } }), 'properties.connection.properties.authInfo', {
        authType: 'systemAssignedIdentity',
      }),
      'UnsupportedValue',
      'properties.connection.properties.authInfo.authType',
    ],
  ])('rejects %s', (_name, body, code, target) => {
    expect(check(body).issues).toContainEqual(expect.objectContaining({ code, target }));
  });
});

describe('templateMatchesCluster', () => {
  const prod: ClusterFacts = {
    id: aks('rg-prod'),
    tags: { Env: 'prod', team: 'payments' },
    kind: 'managedClusters',
  };
  const arc: ClusterFacts = {
    id: `/subscriptions/${subscriptionId}/resourcegroups/RG-EDGE/providers/Microsoft.Kubernetes/connectedClusters/edge1`,
    tags: undefined,
    kind: 'connectedClusters',
  };

  const rows: [string, TemplateSelector, ClusterFacts, boolean][] = [
    ['a cluster in a listed subscription matches', { subscriptions: [subscriptionId] }, prod, true],
    ['a cluster in another subscription does not match', { subscriptions: [otherSubscription] }, prod, false],
    [
      'any of several subscriptions matches',
      { subscriptions: [otherSubscription, subscriptionId] },
      prod,
      true,
    ],
    ['a resource group glob matches by prefix', { resourceGroups: ['rg-*'] }, prod, true],
    [
      'a resource group glob ignores case (events say resourcegroups and upper-case names)',
      { resourceGroups: ['rg-e*'] },
      arc,
      true,
    ],
    ['a resource group glob must match the whole name', { resourceGroups: ['prod'] }, prod, false],
    ['? matches exactly one character', { resourceGroups: ['rg-pro?'] }, prod, true],
    ['regex characters in a glob are literal', { resourceGroups: ['rg.prod'] }, prod, false],
    ['a tag matches with its name in any case', { tags: { env: 'prod' } }, prod, true],
    ['a tag value is compared exactly', { tags: { env: 'Prod' } }, prod, false],
    ['* matches any value of a present tag', { tags: { team: '*' } }, prod, true],
    ['* does not match a missing tag', { tags: { owner: '*' } }, prod, false],
    ['all tags must match', { tags: { env: 'prod', team: 'search' } }, prod, false],
    ['a cluster without tags does not match a tag selector', { tags: { env: 'prod' } }, arc, false],
    ['a cluster kind selector matches its kind', { clusterKinds: ['connectedClusters'] }, arc, true],
    ['a cluster kind selector excludes other kinds', { clusterKinds: ['connectedClusters'] }, prod, false],
    [
      'every given field must match',
      { subscriptions: [subscriptionId], resourceGroups: ['rg-*'], clusterKinds: ['connectedClusters'] },
      prod,
      false,
    ],
    [
      'every given field matching matches',
      {
        subscriptions: [subscriptionId],
        resourceGroups: ['rg-*'],
        tags: { env: 'prod' },
        clusterKinds: ['managedClusters'],
      },
      prod,
      true,
    ],
    [
      'a cluster with an unreadable id never matches',
      { clusterKinds: ['managedClusters'] },
      { ...prod, id: 'aks1' },
      false,
    ],
  ];

  it.each(rows)('%s', (_name, selector, cluster, expected) => {
    expect(templateMatchesCluster(selector, cluster)).toBe(expected);
  });

  it('names the first field that does not match', () => {
    expect(selectorMismatch({ subscriptions: [subscriptionId], tags: { env: 'dev' } }, prod)).toBe('tags');
    expect(selectorMismatch({ resourceGroups: ['x'] }, prod)).toBe('resourceGroups');
    expect(selectorMismatch({ resourceGroups: ['rg-*'] }, prod)).toBeUndefined();
  });

  it.each([
    ['rg-*', 'rg-', true],
    ['*-prod', 'team-a-prod', true],
    ['rg-(a)', 'rg-(a)', true],
    ['rg-[ab]', 'rg-a', false],
  ])('glob %s against %s is %s', (glob, text, expected) => {
    expect(globMatches(glob, text)).toBe(expected);
  });
});
