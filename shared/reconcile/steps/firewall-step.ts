/**
 * One target's firewall for this cluster (ADR 0051, 0052): the egress plus every connection's
 * `ipRanges`, in the target's own form, with ownership from the record kept in the connections'
 * inventory. Other clusters' records are read only when they can change the decision: before
 * removing a range, and before sharing an exact rule someone else may have added. A target that
 * denies public access is reported, never opened; an underivable egress without `ipRanges` fails
 * with the instruction to give them.
 */
import { sameRange } from '../../util/ip.js';
import type { LinkerSpec } from '../../model/linker-spec.js';
import type { ArmChild, ArmResource } from '../../targets/arm-body.js';
import { targetModule } from '../../targets/catalog.js';
import type { FirewallObservation } from '../../targets/firewall/form.js';
import type { Check } from '../check.js';
import type { EgressPlan } from '../egress/egress-plan.js';
import { desiredFirewall, type DesiredFirewall, type PublicNetworkSolution } from '../firewall/desired.js';
import { planFirewall, type FirewallPlan } from '../firewall/firewall-plan.js';
import { privateLinkReasons } from '../private-link.js';
import type { TargetTruth } from '../engine/gather.js';
import type { GatheredEgress } from '../engine/gather-egress.js';
import { failed, inProgress, type Observed, type Run, skipped, step, succeeded } from '../engine/run.js';
import { requeueDelays, type StepReport } from '../engine/types.js';

export const firewallStepName = 'Firewall';

export interface FirewallInput {
  readonly target: TargetTruth;
  readonly targetBody: ArmResource;
  /** The active connections of this cluster to the target. */
  readonly specs: readonly LinkerSpec[];
  /** No active connection is left and a deleted one asked for ForcedCleanup: remove ours. */
  readonly removeOurs: boolean;
  readonly egress: Observed<GatheredEgress> | undefined;
  /** Range keys recorded for this cluster on this target. */
  readonly ours: readonly string[];
  readonly clusterLocation: string | undefined;
  /** Range keys other clusters of ours recorded on this target (read on demand). */
  readonly othersOwned: () => Promise<readonly string[]>;
}

export interface FirewallOutcome {
  readonly report: StepReport;
  /** The record to keep for this cluster on the target (unchanged when nothing was decided). */
  readonly record: readonly string[];
}

const noEgress: EgressPlan = { status: 'complete', addresses: [], ignored: [], checks: [] };

export function solutionOf(spec: LinkerSpec): PublicNetworkSolution {
  const s = spec.publicNetworkSolution;
  return {
    action: s.action,
    deleteOrUpdateBehavior: s.deleteOrUpdateBehavior,
    firewallRules: {
      ipRanges: s.firewallRules.ipRanges,
      ...(s.firewallRules.azureServices === undefined
        ? {}
        : { azureServices: s.firewallRules.azureServices ? 'true' : 'false' }),
    },
  };
}

/** The firewall as the form reads it: the resource plus its extra read. */
export function firewallObservation(
  target: TargetTruth,
  targetBody: ArmResource,
): Observed<FirewallObservation> {
  const extra = target.firewallExtra;
  if (extra !== undefined && !extra.ok) return extra;
  const form = targetModule(target.ref.kind).firewall;
  const value = extra?.value;
  if (form.extraRead === 'networkRuleSet')
    return {
      ok: true,
      value: {
        resource: targetBody,
        ...(value === undefined ? {} : { networkRuleSet: value as ArmResource }),
      },
    };
  if (form.extraRead === 'firewallRules') {
    const rules = Array.isArray(value) ? value : ((value as { value?: unknown } | undefined)?.value ?? []);
    return { ok: true, value: { resource: targetBody, firewallRules: rules as ArmChild[] } };
  }
  return { ok: true, value: { resource: targetBody } };
}

/** The desired addresses, or the report that says why they are not known. */
function desired(run: Run, input: FirewallInput): DesiredFirewall | StepReport {
  if (input.specs.length === 0) return { action: 'optOut', removeOurs: input.removeOurs, checks: [] };
  const solutions = input.specs.map(solutionOf);
  if (!solutions.some((s) => s.action === 'enable')) return desiredFirewall(noEgress, solutions);
  if (input.egress === undefined) return desiredFirewall(noEgress, solutions);
  if (!input.egress.ok) return run.failure(firewallStepName, input.egress.error);
  return desiredFirewall(input.egress.value.plan, solutions);
}

/** An exact rule for a wanted range that is not in our record may be another cluster's: ask first. */
function mayShare(input: FirewallInput, observed: FirewallObservation, wanted: DesiredFirewall): boolean {
  if (wanted.action !== 'enable') return false;
  const form = targetModule(input.target.ref.kind).firewall;
  const rules = form.readState(observed).rules;
  const ours = new Set(input.ours);
  return wanted.ranges.some((d) =>
    form
      .writable(d.range)
      .some((r) =>
        rules.some(
          (e) => e.range !== undefined && sameRange(e.range, r) && !ours.has(e.key) && !ours.has(d.key),
        ),
      ),
  );
}

export async function reconcileFirewall(run: Run, input: FirewallInput): Promise<FirewallOutcome> {
  let record = input.ours;
  const report = await step(run, firewallStepName, async () => {
    const want = desired(run, input);
    if ('result' in want) return want;
    const observed = firewallObservation(input.target, input.targetBody);
    if (!observed.ok) return run.failure(firewallStepName, observed.error);
    const form = targetModule(input.target.ref.kind).firewall;
    const planWith = (othersOwned: readonly string[]): FirewallPlan =>
      planFirewall({
        form,
        observed: observed.value,
        desired: want,
        ours: input.ours,
        othersOwned,
        ...(input.clusterLocation === undefined ? {} : { sourceLocation: input.clusterLocation }),
      });
    let plan = planWith([]);
    if (plan.removed.length > 0 || mayShare(input, observed.value, want))
      plan = planWith(await input.othersOwned());
    const error = plan.checks.find((c) => c.severity === 'error');
    if (plan.write !== undefined) {
      const started = await run.deps.azure.targets.writeFirewall(input.target.ref.resourceId, plan.write);
      record = plan.record;
      const change = describe(plan);
      if (error !== undefined)
        return failed(firewallStepName, error.reason, `${error.message} ${change}`, error.mitigation);
      run.deps.logger.info('firewall updated', { target: input.target.ref.resourceId, change });
      if (started.state === 'accepted') {
        run.requeue(requeueDelays.longRunningMs);
        return inProgress(firewallStepName, 'FirewallUpdating', change);
      }
      return quiet(want, plan.checks);
    }
    record = plan.record;
    if (error !== undefined) return failed(firewallStepName, error.reason, error.message, error.mitigation);
    const access = form.readState(observed.value).access;
    if (access.state === 'disabled' && privateLinkCheck(want) === undefined)
      return skipped(firewallStepName, access.reason, access.message);
    return quiet(want, plan.checks);
  });
  return { report, record };
}

function describe(plan: FirewallPlan): string {
  const parts = [
    plan.added.length > 0 ? `added ${plan.added.join(', ')}` : '',
    plan.removed.length > 0 ? `removed ${plan.removed.join(', ')}` : '',
  ].filter((p) => p !== '');
  return `Firewall rules ${parts.length === 0 ? 'updated' : parts.join('; ')}.`;
}

/** A private link cluster without ipRanges: its report, whatever the target's public access. */
function privateLinkCheck(want: DesiredFirewall): Check | undefined {
  return want.checks.find((c) => c.reason === privateLinkReasons.cluster);
}

/** No write: converged, or opted out. */
function quiet(want: DesiredFirewall, checks: readonly Check[]): StepReport {
  const privateLink = privateLinkCheck(want);
  if (privateLink !== undefined)
    return {
      ...skipped(firewallStepName, privateLink.reason, privateLink.message),
      mitigation: privateLink.mitigation,
    };
  if (want.action === 'optOut' && !want.removeOurs)
    return skipped(
      firewallStepName,
      'PublicNetworkOptedOut',
      'publicNetworkSolution.action is optOut: the firewall is left as it is.',
    );
  const warning = checks.find((c) => c.severity === 'warning');
  return warning === undefined
    ? succeeded(firewallStepName, 'FirewallConverged', 'The firewall admits the cluster as desired.')
    : succeeded(firewallStepName, warning.reason, warning.message);
}
