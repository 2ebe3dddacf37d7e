/**
 * The engine's pure pieces: the inventory read back from a row (defensively: an older or
 * hand-edited row must not crash a reconcile), the status built from step reports (order,
 * transition times), the outcome of a set of reports, and the extension failure diagnosis.
 */
import { describe, expect, it } from 'vitest';
import { readInventory, writeInventory } from '../../shared/reconcile/engine/inventory.js';
import { outcomeKind, statusOf } from '../../shared/reconcile/engine/outcome.js';
import type { StepReport } from '../../shared/reconcile/engine/types.js';
import { diagnoseExtension } from '../../shared/reconcile/steps/extension-diagnosis.js';

describe('the inventory', () => {
  it.each([
    ['an empty row', {}, {}],
    ['a firewall record with a non-string range', { firewall: { targetId: '/x', ranges: [1] } }, {}],
    ['a firewall record without a target', { firewall: { ranges: ['1.2.3.4/32'] } }, {}],
    ['an unknown key style', { configuration: { configType: 'STORAGEBLOB', keyStyle: 'fancy' } }, {}],
    ['role assignments that are not a list', { roleAssignments: 'x' }, {}],
    [
      'former-target records, keeping the valid ones',
      { retiredFirewall: [{ targetId: '/old', ranges: ['20.1.2.4/32'] }, { ranges: ['x'] }, 'junk'] },
      { retiredFirewall: [{ targetId: '/old', ranges: ['20.1.2.4/32'] }] },
    ],
    ['former-target records that are not a list', { retiredFirewall: { targetId: '/old', ranges: [] } }, {}],
    [
      'a complete row',
      {
        firewall: { targetId: '/t', ranges: ['20.1.2.3/32'] },
        roleAssignments: ['/r1'],
        federatedCredential: { identityId: '/i', name: 'cf-x' },
        configuration: { configType: 'STORAGEBLOB', keyStyle: 'qualified' },
        template: { name: 'tpl', revision: 'r1' },
      },
      {
        firewall: { targetId: '/t', ranges: ['20.1.2.3/32'] },
        roleAssignments: ['/r1'],
        federatedCredential: { identityId: '/i', name: 'cf-x' },
        configuration: { configType: 'STORAGEBLOB', keyStyle: 'qualified' },
        template: { name: 'tpl', revision: 'r1' },
      },
    ],
  ])('reads %s as what it can trust', (_name, stored, read) => {
    expect(readInventory(stored)).toEqual(read);
  });

  it('writes keys in one order, ranges sorted and role ids unique, so equal means unchanged', () => {
    const written = writeInventory({
      roleAssignments: ['/b', '/a', '/b'],
      firewall: { targetId: '/t', ranges: ['20.1.2.9/32', '20.1.2.3/32'] },
      configuration: { configType: 'COSMOS', keyStyle: 'plain' },
    });
    expect(JSON.stringify(written)).toBe(
      JSON.stringify({
        configuration: { configType: 'COSMOS', keyStyle: 'plain' },
        firewall: { targetId: '/t', ranges: ['20.1.2.3/32', '20.1.2.9/32'] },
        roleAssignments: ['/a', '/b'],
      }),
    );
  });
});

describe('the status of a connection', () => {
  const t0 = new Date('2026-11-22T10:00:00.000Z');
  const t1 = new Date('2026-11-22T10:05:00.000Z');
  const report = (name: string, result: StepReport['result']): StepReport => ({ name, result });

  it('lists steps in the order they run, whatever order they were reported in', () => {
    const status = statusOf([], [report('Firewall', 'Succeeded'), report('Extension', 'Succeeded')], t0);
    expect(status.map((s) => s.name)).toEqual(['Extension', 'Firewall']);
  });

  it('moves a transition time only when the result changes, and drops steps no longer reported', () => {
    const before = statusOf(
      [],
      [report('Extension', 'InProgress'), report('Firewall', 'Succeeded'), report('Cleanup', 'Failed')],
      t0,
    );
    const after = statusOf(before, [report('Extension', 'Succeeded'), report('Firewall', 'Succeeded')], t1);
    expect(after).toEqual([
      { name: 'Extension', result: 'Succeeded', lastTransitionTime: t1.toISOString() },
      { name: 'Firewall', result: 'Succeeded', lastTransitionTime: t0.toISOString() },
    ]);
  });

  it.each([
    [['Succeeded', 'Skipped'], 'succeeded'],
    [['Succeeded', 'InProgress'], 'inProgress'],
    [['InProgress', 'Failed'], 'failed'],
    [[], 'succeeded'],
  ] as const)('with step results %j is %s', (results, kind) => {
    expect(outcomeKind(results.map((r, i) => report(`s${i}`, r)))).toBe(kind);
  });
});

describe('the extension diagnosis', () => {
  it('goes by a specific error code before any message text', () => {
    const d = diagnoseExtension({
      properties: {
        errorInfo: {
          code: 'AuthorizationFailed',
          message: 'Unable to download the Helm chart from the repo URL',
        },
      },
    });
    expect(d.reason).toBe('AuthorizationFailed');
  });

  it('reads the phrase of a documented Helm failure only under the generic code', () => {
    const under = (code: string) =>
      diagnoseExtension({
        properties: {
          statuses: [{ code, level: 'Error', message: 'Timed out waiting for resource readiness' }],
        },
      }).reason;
    expect(under('InstallationFailed')).toBe('ExtensionNotReady');
    expect(under('SomethingSpecific')).toBe('ExtensionFailed');
  });

  it('ignores statuses that are not errors', () => {
    const d = diagnoseExtension({
      properties: {
        statuses: [
          { code: 'InstallationFailed', level: 'Information', message: 'Unable to download the Helm chart' },
        ],
      },
    });
    expect(d).toMatchObject({
      reason: 'ExtensionFailed',
      message: 'The sc-extension cluster extension failed.',
    });
  });
});
