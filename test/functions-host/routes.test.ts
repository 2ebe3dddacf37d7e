import { describe, expect, it } from 'vitest';
import {
  comparePrecedence,
  matchRoute,
  parseRouteTemplate,
  splitPath,
} from '../../dev/functions-host/routes.js';

const linkerTemplate =
  'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerService/managedClusters/{clusterName}/providers/Microsoft.ServiceLinker/linkers/{linkerName?}';
const guid = '0b9f6f0e-5d0c-4c5e-9a53-6f1f3b0e2a11';

function match(template: string, path: string): Record<string, string> | undefined {
  return matchRoute(parseRouteTemplate(template), splitPath(path));
}

describe('route templates', () => {
  it.each([
    ['a parameter', 'items/{id}', 'items/7', { id: '7' }],
    ['literals case-insensitively', 'Items/Recent', 'items/RECENT', {}],
    ['an int constraint with a negative number', 'items/{id:int}', 'items/-5', { id: '-5' }],
    ['a guid constraint', 'things/{id:guid}', `things/${guid}`, { id: guid }],
    ['an alpha constraint', 'things/{name:alpha}', 'things/Abc', { name: 'Abc' }],
    ['a range constraint', 'v/{n:range(1,9)}', 'v/5', { n: '5' }],
    ['two constraints', 'v/{n:int:min(10)}', 'v/12', { n: '12' }],
    ['a catch-all over several segments', 'files/{*path}', 'files/a/b/c.txt', { path: 'a/b/c.txt' }],
    ['an empty catch-all', 'files/{*path}', 'files', {}],
    ['an optional parameter left out (as an empty value)', 'linkers/{name?}', 'linkers', { name: '' }],
    ['an optional parameter given', 'linkers/{name?}', 'linkers/db', { name: 'db' }],
    ['a default value', 'page/{n=1}', 'page', { n: '1' }],
    ['percent-encoded values, decoded', 'enc/{v}', 'enc/a%20b', { v: 'a b' }],
    ['a trailing slash', 'items/{id}', 'items/7/', { id: '7' }],
    [
      'the ServiceLinker linker route',
      linkerTemplate,
      `subscriptions/${guid}/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1/providers/Microsoft.ServiceLinker/linkers/db`,
      { subscriptionId: guid, resourceGroupName: 'rg1', clusterName: 'aks1', linkerName: 'db' },
    ],
    [
      'the ServiceLinker list route (no linker name)',
      linkerTemplate,
      `subscriptions/${guid}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1/providers/Microsoft.ServiceLinker/linkers`,
      { subscriptionId: guid, resourceGroupName: 'rg1', clusterName: 'aks1', linkerName: '' },
    ],
  ])('matches %s', (_name, template, path, params) => {
    expect(match(template, path)).toEqual(params);
  });

  it.each([
    ['a value failing an int constraint', 'items/{id:int}', 'items/abc'],
    ['a value failing a guid constraint', 'things/{id:guid}', 'things/not-a-guid'],
    ['a value failing an alpha constraint', 'things/{name:alpha}', 'things/ab1'],
    ['a value out of range', 'v/{n:range(1,9)}', 'v/10'],
    ['a longer path', 'a/{b}', 'a/b/c'],
    ['a missing required parameter', 'a/{b}', 'a'],
    ['a different literal', 'items/recent', 'items/latest'],
    [
      'a different provider in the linker route',
      linkerTemplate,
      `subscriptions/${guid}/resourceGroups/rg/providers/Microsoft.Web/sites/s/providers/Microsoft.ServiceLinker/linkers/x`,
    ],
  ])('does not match %s', (_name, template, path) => {
    expect(match(template, path)).toBeUndefined();
  });

  it.each([
    ['literal text mixed with a parameter', 'a/{b}c', /mixes literal text and parameters/],
    ['a catch-all before the end', 'a/{*b}/c', /catch-all parameter must be the last segment/],
    ['an optional parameter before a required segment', 'a/{b?}/c', /optional parameter 'b' must come last/],
    ['an unknown constraint', 'a/{b:nope}', /unknown constraint 'nope'/],
    ['the same parameter twice', 'a/{b}/{B}', /parameter 'B' appears twice/],
    ['an empty segment', 'a//b', /empty segment/],
  ])('rejects %s', (_name, template, message) => {
    expect(() => parseRouteTemplate(template)).toThrow(message);
  });

  it('orders candidates literal first, then constrained, then plain parameters, then catch-all', () => {
    const templates = ['{*all}', 'items/{id}', 'items/recent', 'items/{id:int}'];
    const ordered = templates
      .map(parseRouteTemplate)
      .sort(comparePrecedence)
      .map((r) => r.template);
    expect(ordered).toEqual(['items/recent', 'items/{id:int}', 'items/{id}', '{*all}']);
  });
});
