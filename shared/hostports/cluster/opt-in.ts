/**
 * How a cluster opts in to host-port auto-assignment (ADR 0043): ARM tags on the managed or
 * connected cluster resource, because a tag is something every owner can set with the tools they
 * already use (`az resource tag`, Bicep, the portal), it needs no API of ours, and a tag change is an
 * ARM write event that pokes the reconcile. Tag names may not contain `/` (nor `<>%&\?`), so they
 * are plain dashed words; names are matched case-insensitively, as ARM treats them.
 *
 * | tag | value |
 * | --- | --- |
 * | `connector-functions-host-ports` | `all`, or comma-separated node pool names |
 * | `connector-functions-host-ports-asg` | one ASG resource id for every selected pool |
 * | `connector-functions-host-ports-asg-<pool>` | one ASG resource id for that pool (wins) |
 * | `connector-functions-host-ports-sources` | comma-separated source prefixes for BYO NSG rules (default `*`) |
 *
 * Pure: the step reads the tags from the cluster body it was given.
 */
import { error, warning, type Check } from '../../reconcile/check.js';
import { armResourceType, tryParseArmId } from '../../util/arm-id.js';

export const optInTag = 'connector-functions-host-ports';
export const asgTag = 'connector-functions-host-ports-asg';
export const sourcesTag = 'connector-functions-host-ports-sources';

/** Everything the cluster's tags say; `selected` never names a pool the cluster does not have. */
export interface HostPortOptIn {
  readonly optedIn: boolean;
  /** `all`, or the pool names listed (as the cluster spells them). */
  readonly selection: 'all' | readonly string[];
  /** Pools of the cluster that are selected, in the cluster's order. */
  readonly selected: readonly string[];
  /** The ASG a selected pool's nodes must join (given by a tag), or undefined: AKS's managed ASG. */
  readonly givenAsg: ReadonlyMap<string, string>;
  /** Sources of the BYO NSG allow rules: `*`, address prefixes or service tags. */
  readonly sources: readonly string[];
  /** Problems with the tags; errors stop the Azure-side sub-steps (we do not guess intent). */
  readonly checks: readonly Check[];
}

const poolNamePattern = /^[a-z][a-z0-9]{0,11}$/;
const sourcePattern = /^[A-Za-z0-9.:/*_-]+$/;

function tagValue(tags: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(tags).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : tags[key]?.trim();
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function asgProblem(tag: string, value: string): Check | undefined {
  const id = tryParseArmId(value);
  if (id !== undefined && armResourceType(id).toLowerCase() === 'microsoft.network/applicationsecuritygroups')
    return undefined;
  return error(
    'InvalidHostPortsTag',
    `Tag ${tag} must hold one application security group resource id; '${value}' is not one.`,
    `Set it to /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/applicationSecurityGroups/<name>, or remove it to use the ASG AKS manages.`,
  );
}

function selectionOf(value: string, pools: readonly string[], checks: Check[]): 'all' | string[] {
  if (value.toLowerCase() === 'all') return 'all';
  const names = splitList(value);
  for (const name of names) {
    if (!poolNamePattern.test(name.toLowerCase())) {
      checks.push(
        warning(
          'InvalidNodePoolName',
          `Tag ${optInTag} names '${name}', which cannot be a node pool name (lower-case letters and digits, starting with a letter, at most 12).`,
        ),
      );
    } else if (!pools.some((p) => p.toLowerCase() === name.toLowerCase())) {
      checks.push(
        warning(
          'NodePoolNotFound',
          `Tag ${optInTag} names node pool '${name}', which the cluster does not have; it is ignored.`,
          `Use one of: ${pools.join(', ') || '(no pools)'}, or 'all'.`,
        ),
      );
    }
  }
  return names;
}

function givenAsgs(
  tags: Readonly<Record<string, string>>,
  selected: readonly string[],
  checks: Check[],
): Map<string, string> {
  const result = new Map<string, string>();
  const shared = tagValue(tags, asgTag);
  if (shared !== undefined && shared !== '') {
    const problem = asgProblem(asgTag, shared);
    if (problem === undefined) for (const pool of selected) result.set(pool, shared);
    else checks.push(problem);
  }
  for (const pool of selected) {
    const tag = `${asgTag}-${pool}`;
    const own = tagValue(tags, tag);
    if (own === undefined || own === '') continue;
    const problem = asgProblem(tag, own);
    if (problem === undefined) result.set(pool, own);
    else checks.push(problem);
  }
  return result;
}

function sourcesOf(tags: Readonly<Record<string, string>>, checks: Check[]): string[] {
  const value = tagValue(tags, sourcesTag);
  if (value === undefined || value === '') return ['*'];
  const sources = splitList(value);
  const bad = sources.filter((s) => !sourcePattern.test(s));
  if (bad.length > 0 || sources.length === 0) {
    checks.push(
      error(
        'InvalidHostPortsTag',
        `Tag ${sourcesTag} must be comma-separated address prefixes or service tags; '${bad[0] ?? value}' is not one.`,
        'e.g. Internet, or 203.0.113.0/24,198.51.100.7; remove the tag to allow any source (*).',
      ),
    );
  }
  return sources.includes('*') ? ['*'] : sources;
}

/**
 * Reads the opt-in from the cluster's tags. `pools` are the cluster's node pool names (none for an
 * Arc cluster, whose selection can only be `all`).
 */
export function readHostPortOptIn(
  tags: Readonly<Record<string, string>> | undefined,
  pools: readonly string[],
): HostPortOptIn {
  const all = tags ?? {};
  const value = tagValue(all, optInTag);
  const checks: Check[] = [];
  if (value === undefined || value === '' || value.toLowerCase() === 'none') {
    return { optedIn: false, selection: [], selected: [], givenAsg: new Map(), sources: ['*'], checks };
  }
  const selection = selectionOf(value, pools, checks);
  const selected =
    selection === 'all'
      ? [...pools]
      : pools.filter((p) => selection.some((s) => s.toLowerCase() === p.toLowerCase()));
  return {
    optedIn: true,
    selection,
    selected,
    givenAsg: givenAsgs(all, selected, checks),
    sources: sourcesOf(all, checks),
    checks,
  };
}
