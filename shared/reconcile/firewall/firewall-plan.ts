/**
 * One target's firewall for one cluster: which rules to add and remove, in the target's own form.
 * Ownership comes from the record the reconciler keeps per (target, cluster) of the range keys we
 * added (ADR 0052): only recorded rules are ever removed, never a rule another cluster of ours still
 * records, and a range the user already allows is neither duplicated nor adopted. A target that
 * denies public access is reported, never opened; one that admits everything gets no rule.
 */
import { isPublicRange, rangeContains, rangeKey, sameRange, type IpRange } from '../../util/ip.js';
import type {
  ExistingRule,
  FirewallForm,
  FirewallObservation,
  FirewallWrite,
} from '../../targets/firewall/form.js';
import { error, info, warning, type Check } from '../check.js';
import type { DesiredFirewall } from './desired.js';

export interface FirewallPlanInput {
  readonly form: FirewallForm;
  readonly observed: FirewallObservation;
  readonly desired: DesiredFirewall;
  /** Range keys recorded as added by us for this cluster on this target. */
  readonly ours: readonly string[];
  /** Range keys recorded for the other clusters on this target. */
  readonly othersOwned: readonly string[];
  /** The cluster's region, for Storage's same-region caveat. */
  readonly sourceLocation?: string;
}

export interface FirewallPlan {
  /** Undefined when converged. */
  readonly write: FirewallWrite | undefined;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** The record to store for this cluster once the write succeeded. */
  readonly record: readonly string[];
  readonly checks: readonly Check[];
}

function location(value: string | undefined): string {
  return (value ?? '').toLowerCase().replace(/\s+/g, '');
}

function wantedRanges(input: FirewallPlanInput, checks: Check[]): IpRange[] {
  if (input.desired.action === 'optOut') return [];
  const out = new Map<string, IpRange>();
  for (const d of input.desired.ranges) {
    if (!isPublicRange(d.range)) {
      checks.push(
        warning(
          'NonPublicRangeSkipped',
          `${d.key} is not a public address range; a public endpoint never sees it.`,
        ),
      );
      continue;
    }
    for (const r of input.form.writable(d.range)) out.set(rangeKey(r), r);
  }
  return [...out.values()];
}

export function planFirewall(input: FirewallPlanInput): FirewallPlan {
  const { form, observed, desired } = input;
  const unchanged = (checks: Check[]): FirewallPlan => ({
    write: undefined,
    added: [],
    removed: [],
    record: input.ours,
    checks,
  });
  const checks: Check[] = [...desired.checks];
  if (desired.action === 'optOut' && !desired.removeOurs) {
    return unchanged([
      ...checks,
      info('PublicNetworkOptedOut', 'publicNetworkSolution.action is optOut: the firewall is left as it is.'),
    ]);
  }
  const state = form.readState(observed);
  if (state.access.state === 'disabled') {
    return unchanged([
      ...checks,
      warning(
        state.access.reason,
        state.access.message,
        'Connect privately, or allow public access from selected networks.',
      ),
    ]);
  }
  const ours = new Set(input.ours);
  const others = new Set(input.othersOwned);
  const rules = state.rules;
  const exact = (r: IpRange): ExistingRule | undefined =>
    rules.find((e) => e.range !== undefined && sameRange(e.range, r));
  const wanted = wantedRanges(input, checks);
  const wantedKeys = new Set(wanted.map(rangeKey));
  const complete = desired.action === 'optOut' || desired.complete;

  const adopted: string[] = [];
  let add: IpRange[] = [];
  for (const range of wanted) {
    const key = rangeKey(range);
    const same = exact(range);
    if (same !== undefined) {
      // Ours, or another cluster's of ours: share it. A user's rule stays the user's.
      if (ours.has(key) || others.has(key)) adopted.push(key);
      continue;
    }
    const covering = rules.find((e) => e.range !== undefined && rangeContains(e.range, range));
    if (covering !== undefined) {
      checks.push(info('AlreadyAllowed', `${key} is already allowed by ${covering.display}.`));
    } else if (state.access.state === 'open') {
      continue;
    } else if (
      form.ruleName !== undefined &&
      rules.some((e) => e.name?.toLowerCase() === form.ruleName?.(range).toLowerCase())
    ) {
      checks.push(
        error(
          'RuleNameTaken',
          `A rule named ${form.ruleName(range)} exists with another range; ${key} is not added.`,
          'Rename or delete that rule.',
        ),
      );
    } else add.push(range);
  }
  if (state.access.state === 'open' && wanted.length > 0)
    checks.push(info('FirewallAdmitsAllNetworks', state.access.message));

  let remove = rules.filter((e) => {
    if (e.range === undefined) return false;
    const key = rangeKey(e.range);
    return ours.has(key) && !wantedKeys.has(key) && !others.has(key);
  });
  if (!complete && remove.length > 0) {
    checks.push(
      info(
        'RemovalsDeferred',
        `${remove.length} stale rule(s) are kept until the cluster's egress is fully known.`,
      ),
    );
    remove = [];
  }

  const enableAzureServices =
    desired.action === 'enable' &&
    desired.azureServices &&
    form.supportsAzureServices &&
    !state.azureServicesAllowed &&
    state.access.state === 'restricted';
  if (desired.action === 'enable' && desired.azureServices && !form.supportsAzureServices) {
    checks.push(info('AzureServicesNotApplicable', `${form.name} has no "allow Azure services" switch.`));
  }
  const after = rules.length - remove.length + add.length + (enableAzureServices ? 1 : 0);
  if (form.maxRules !== undefined && after > form.maxRules && add.length > 0) {
    checks.push(
      error(
        'RuleLimitExceeded',
        `The target allows at most ${form.maxRules} rules (${form.limitSource}); it has ${rules.length} and ${add.length} more are needed, so none is added.`,
        'Remove unused rules, or give a covering range (a public IP prefix) in ipRanges.',
      ),
    );
    add = [];
  }
  if (
    form.emptyMeansOpen &&
    state.access.state === 'restricted' &&
    !state.otherRestrictions &&
    remove.length > 0 &&
    rules.length - remove.length + add.length === 0
  ) {
    checks.push(
      warning(
        'RemovalWouldOpenFirewall',
        'Removing the last IP rule would admit every network; the stale rules are kept.',
        'Remove them yourself once another rule restricts access.',
      ),
    );
    remove = [];
  }
  if (
    form.sameRegionIneffective &&
    input.sourceLocation !== undefined &&
    location(input.sourceLocation) === location(observed.resource.location)
  ) {
    checks.push(
      warning(
        'SameRegionRulesIneffective',
        "The cluster is in the target account's region, where IP rules do not apply (traffic uses private Azure addresses).",
        'Use a virtual network rule (service endpoint) or a private endpoint for same-region access.',
      ),
    );
  }

  const removedKeys = new Set(remove.map((e) => e.key));
  const keep = rules.filter((e) => !removedKeys.has(e.key));
  const write = form.render(observed, { keep, remove, add, enableAzureServices });
  // A recorded rule stays ours while it is wanted, or while its removal was held back.
  const stillOurs = input.ours.filter(
    (k) =>
      (wantedKeys.has(k) || !others.has(k)) &&
      keep.some((e) => e.range !== undefined && rangeKey(e.range) === k),
  );
  const record = [...new Set([...stillOurs, ...adopted, ...add.map(rangeKey)])].sort();
  if (write === undefined)
    checks.push(info('FirewallConverged', 'The firewall already admits the cluster as desired.'));
  return { write, added: add.map(rangeKey), removed: remove.map((e) => e.display), record, checks };
}
