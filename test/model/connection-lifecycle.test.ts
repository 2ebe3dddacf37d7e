import { describe, expect, it } from 'vitest';
import {
  acceptDelete,
  acceptPut,
  cleanupPlanFor,
  isSettled,
  statusUpdateFor,
  type ConnectionRecord,
  type ReconcileOutcome,
} from '../../shared/model/connection.js';
import type { LinkerSpec } from '../../shared/model/linker-spec.js';
import {
  completionFor,
  effectiveOperation,
  operationStatusView,
  supersededError,
  type OperationRecord,
} from '../../shared/model/operation.js';
import { boundStatus, setStep, statusLimits, type StatusStep } from '../../shared/model/status.js';
import { clusterId, validate, withValue, workloadIdentityBody } from './linker-fixtures.js';

const t0 = new Date('2026-11-22T10:00:00.000Z');
const t1 = new Date('2026-11-22T10:05:00.000Z');

function spec(mutate: (body: Record<string, unknown>) => Record<string, unknown> = (b) => b): LinkerSpec {
  const draft = validate(mutate(workloadIdentityBody())).draft;
  if (draft === undefined) throw new Error('fixture is invalid');
  return draft as unknown as LinkerSpec;
}

function created(): ConnectionRecord {
  return acceptPut(
    undefined,
    { clusterId, name: 'Blob_Conn', spec: spec() },
    { operationId: 'op-1', revision: 'r1', now: t0 },
  );
}

const failedStep: StatusStep = {
  name: 'RoleAssignment',
  result: 'Failed',
  reasonCode: 'AuthorizationFailed',
  message: 'The client has no permission to write role assignments.',
  mitigation: 'Grant the role.',
  lastTransitionTime: t1.toISOString(),
};

describe('accepting changes', () => {
  it('creates a connection at generation 1, Accepted, nothing observed yet', () => {
    expect(created()).toMatchObject({
      generation: 1,
      observedGeneration: 0,
      lifecycle: 'active',
      provisioningState: 'Accepted',
      operationId: 'op-1',
      revision: 'r1',
      createdAt: t0.toISOString(),
      lastModifiedAt: t0.toISOString(),
    });
  });

  it('updates keep the first name, the cluster casing, the creation time and the observed state', () => {
    const first = {
      ...created(),
      observedGeneration: 1,
      provisioningState: 'Succeeded' as const,
      status: [failedStep],
    };
    const next = acceptPut(
      first,
      { clusterId: clusterId.toLowerCase(), name: 'blob_conn', spec: spec() },
      { operationId: 'op-2', revision: 'r2', now: t1 },
    );
    expect(next).toMatchObject({
      name: 'Blob_Conn',
      clusterId,
      generation: 2,
      observedGeneration: 1,
      provisioningState: 'Accepted',
      status: [failedStep],
      createdAt: t0.toISOString(),
      lastModifiedAt: t1.toISOString(),
      revision: 'r2',
    });
  });

  it('a deletion keeps the row, marks it Deleting and records the cleanup the spec asks for', () => {
    const deleting = acceptDelete(created(), { operationId: 'op-3', revision: 'r3', now: t1 });
    expect(deleting).toMatchObject({
      lifecycle: 'deleting',
      provisioningState: 'Deleting',
      generation: 2,
      operationId: 'op-3',
      deletion: {
        requestedAt: t1.toISOString(),
        cleanup: { firewallRules: false, roleAssignments: false, kubernetesObjects: false },
      },
    });
  });

  it.each([
    [
      'nothing by default (Service Connector keeps everything)',
      (b: Record<string, unknown>) => b,
      { firewallRules: false, roleAssignments: false, kubernetesObjects: false },
    ],
    [
      'firewall rules with publicNetworkSolution ForcedCleanup',
      (b: Record<string, unknown>) =>
        withValue(b, 'properties.publicNetworkSolution.deleteOrUpdateBehavior', 'ForcedCleanup'),
      { firewallRules: true, roleAssignments: false, kubernetesObjects: false },
    ],
    [
      'role assignments with authInfo ForcedCleanup',
      (b: Record<string, unknown>) =>
        withValue(b, 'properties.authInfo.deleteOrUpdateBehavior', 'ForcedCleanup'),
      { firewallRules: false, roleAssignments: true, kubernetesObjects: false },
    ],
    [
      'Kubernetes objects with configurationInfo ForcedCleanup',
      (b: Record<string, unknown>) =>
        withValue(b, 'properties.configurationInfo.deleteOrUpdateBehavior', 'ForcedCleanup'),
      { firewallRules: false, roleAssignments: false, kubernetesObjects: true },
    ],
  ])('a deletion cleans up %s', (_name, mutate, expected) => {
    expect(cleanupPlanFor(spec(mutate))).toEqual(expected);
  });
});

describe('reconcile outcomes', () => {
  const steps: StatusStep[] = [
    { name: 'Firewall', result: 'Succeeded', lastTransitionTime: t1.toISOString() },
  ];
  const deleting = acceptDelete(created(), { operationId: 'op-3', revision: 'r3', now: t1 });

  it.each<[string, ConnectionRecord, ReconcileOutcome, unknown]>([
    [
      'work still running leaves the active connection Updating, nothing observed',
      created(),
      { kind: 'inProgress', status: steps },
      { provisioningState: 'Updating', observedGeneration: 0 },
    ],
    [
      'a converged connection is Succeeded at its generation',
      created(),
      { kind: 'succeeded', status: steps },
      { provisioningState: 'Succeeded', observedGeneration: 1 },
    ],
    [
      'a terminal error makes it Failed at its generation',
      created(),
      { kind: 'failed', status: [failedStep] },
      { provisioningState: 'Failed', observedGeneration: 1 },
    ],
    [
      'a running deletion stays Deleting',
      deleting,
      { kind: 'inProgress', status: steps },
      { provisioningState: 'Deleting' },
    ],
    [
      'a failed deletion is Failed and keeps its row',
      deleting,
      { kind: 'failed', status: [failedStep] },
      { provisioningState: 'Failed', observedGeneration: 2 },
    ],
    ['a finished deletion removes the row', deleting, { kind: 'succeeded', status: [] }, { remove: true }],
  ])('%s', (_name, record, outcome, expected) => {
    expect(statusUpdateFor(record, outcome)).toMatchObject(expected as Record<string, unknown>);
  });

  it('keeps the inventory unless the reconciler gives a new one', () => {
    const record = { ...created(), inventory: { roleAssignmentIds: ['a'] } };
    expect(statusUpdateFor(record, { kind: 'succeeded', status: [] })).toMatchObject({
      inventory: { roleAssignmentIds: ['a'] },
    });
    expect(statusUpdateFor(record, { kind: 'succeeded', status: [], inventory: {} })).toMatchObject({
      inventory: {},
    });
  });

  it.each([
    ['Succeeded at the current generation', { provisioningState: 'Succeeded', observedGeneration: 1 }, true],
    ['Failed at the current generation', { provisioningState: 'Failed', observedGeneration: 1 }, true],
    ['Succeeded for an older generation', { provisioningState: 'Succeeded', observedGeneration: 0 }, false],
    ['Accepted', { provisioningState: 'Accepted', observedGeneration: 1 }, false],
  ] as const)('a connection %s is settled: %s', (_name, patch, settled) => {
    expect(isSettled({ ...created(), ...patch })).toBe(settled);
  });
});

describe('operations', () => {
  const op: OperationRecord = {
    id: 'op-1',
    kind: 'put',
    resourceId: `${clusterId}/providers/Microsoft.ServiceLinker/linkers/Blob_Conn`,
    clusterId,
    linkerName: 'Blob_Conn',
    generation: 1,
    status: 'InProgress',
    startTime: t0.toISOString(),
  };
  const deleteOp: OperationRecord = { ...op, id: 'op-3', kind: 'delete', generation: 2 };

  it.each<[string, ConnectionRecord | 'removed', OperationRecord, unknown]>([
    ['runs while the connection is Accepted', created(), op, undefined],
    [
      'succeeds when its generation converged',
      { ...created(), provisioningState: 'Succeeded', observedGeneration: 1 },
      op,
      { status: 'Succeeded' },
    ],
    [
      'fails with the first failed step when its generation failed',
      { ...created(), provisioningState: 'Failed', observedGeneration: 1, status: [failedStep] },
      op,
      {
        status: 'Failed',
        error: { code: 'AuthorizationFailed', message: failedStep.message, target: 'RoleAssignment' },
      },
    ],
    [
      'is canceled when a later request replaced it',
      { ...created(), operationId: 'op-2' },
      op,
      { status: 'Canceled', error: supersededError },
    ],
    [
      'of a PUT is canceled when the connection was deleted since',
      'removed',
      op,
      { status: 'Canceled', error: supersededError },
    ],
    ['of a DELETE succeeds when the row is gone', 'removed', deleteOp, { status: 'Succeeded' }],
    [
      'of a DELETE fails when the deletion failed',
      {
        ...acceptDelete(created(), { operationId: 'op-3', revision: 'r', now: t1 }),
        provisioningState: 'Failed',
        observedGeneration: 2,
        status: [failedStep],
      },
      deleteOp,
      { status: 'Failed' },
    ],
  ])('an operation %s', (_name, record, operation, expected) => {
    const completion = completionFor(record, operation);
    if (expected === undefined) expect(completion).toBeUndefined();
    else expect(completion).toMatchObject(expected as Record<string, unknown>);
  });

  it('a reader sees the inferred outcome with an end time, and a recorded outcome as it was', () => {
    expect(effectiveOperation(op, undefined, t1)).toMatchObject({
      status: 'Canceled',
      endTime: t1.toISOString(),
    });
    const recorded = { ...op, status: 'Failed' as const, endTime: t0.toISOString() };
    expect(effectiveOperation(recorded, { ...created(), operationId: 'other' }, t1)).toBe(recorded);
  });

  it('is shown in the ARM operation status shape', () => {
    expect(operationStatusView({ ...op, status: 'Succeeded', endTime: t1.toISOString() })).toEqual({
      id: '/providers/Microsoft.ServiceLinker/operationStatuses/op-1',
      name: 'op-1',
      resourceId: op.resourceId,
      status: 'Succeeded',
      startTime: t0.toISOString(),
      endTime: t1.toISOString(),
    });
  });
});

describe('status steps', () => {
  it('moves the transition time only when the result changes', () => {
    const first = setStep([], { name: 'Firewall', result: 'InProgress' }, t0);
    const same = setStep(
      first,
      { name: 'Firewall', result: 'InProgress', message: 'still adding rules' },
      t1,
    );
    const changed = setStep(same, { name: 'Firewall', result: 'Succeeded' }, t1);
    expect(same[0]).toMatchObject({ lastTransitionTime: t0.toISOString(), message: 'still adding rules' });
    expect(changed[0]).toMatchObject({ result: 'Succeeded', lastTransitionTime: t1.toISOString() });
    expect(changed).toHaveLength(1);
  });

  it('appends new steps in order', () => {
    const steps = setStep(
      setStep([], { name: 'Extension', result: 'Succeeded' }, t0),
      { name: 'Firewall', result: 'Failed' },
      t0,
    );
    expect(steps.map((s) => s.name)).toEqual(['Extension', 'Firewall']);
  });

  it('bounds the number of steps and the length of their texts', () => {
    const long = 'x'.repeat(5000);
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...failedStep,
      name: `Step${i}`,
      message: long,
      mitigation: long,
    }));
    const bounded = boundStatus(many);
    expect(bounded).toHaveLength(statusLimits.maxSteps);
    expect(bounded[0]?.message).toHaveLength(statusLimits.maxTextLength);
    expect(bounded[0]?.message?.endsWith('...')).toBe(true);
  });
});
