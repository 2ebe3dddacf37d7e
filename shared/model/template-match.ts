/**
 * Which clusters a connection template applies to. Pure: the event and sweep work give it what
 * they read from ARM (the cluster id, its tags and kind). Every selector field is optional; every
 * given field must match (AND); within a list, any value may match (OR).
 */
import { parseArmId } from '../util/arm-id.js';
import type { ClusterKind } from './source.js';

export interface TemplateSelector {
  /** Subscription ids (lower-case GUIDs). */
  readonly subscriptions?: readonly string[];
  /** Resource group names or globs (`*` any run of characters, `?` one), case-insensitive. */
  readonly resourceGroups?: readonly string[];
  /** Tag name (case-insensitive) -> value (exact), or `*` for "any value". */
  readonly tags?: Readonly<Record<string, string>>;
  readonly clusterKinds?: readonly ClusterKind[];
}

export interface ClusterFacts {
  readonly id: string;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly kind: ClusterKind;
}

export type SelectorField = 'subscriptions' | 'resourceGroups' | 'tags' | 'clusterKinds' | 'id';

/** `rg-*` style globs; everything but `*` and `?` is literal. */
export function globMatches(glob: string, text: string): boolean {
  const pattern = glob
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`, 'isu').test(text);
}

/** The first selector field the cluster does not satisfy, or undefined when it matches. */
export function selectorMismatch(
  selector: TemplateSelector,
  cluster: ClusterFacts,
): SelectorField | undefined {
  let subscriptionId: string;
  let resourceGroup: string | undefined;
  try {
    ({ subscriptionId, resourceGroup } = parseArmId(cluster.id));
  } catch {
    return 'id';
  }
  if (
    selector.subscriptions !== undefined &&
    !selector.subscriptions.includes(subscriptionId.toLowerCase())
  ) {
    return 'subscriptions';
  }
  if (
    selector.resourceGroups !== undefined &&
    (resourceGroup === undefined || !selector.resourceGroups.some((g) => globMatches(g, resourceGroup)))
  ) {
    return 'resourceGroups';
  }
  if (selector.tags !== undefined && !tagsMatch(selector.tags, cluster.tags ?? {})) return 'tags';
  if (selector.clusterKinds !== undefined && !selector.clusterKinds.includes(cluster.kind))
    return 'clusterKinds';
  return undefined;
}

export function templateMatchesCluster(selector: TemplateSelector, cluster: ClusterFacts): boolean {
  return selectorMismatch(selector, cluster) === undefined;
}

function tagsMatch(
  wanted: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string>>,
): boolean {
  const byLowerName = new Map(Object.entries(actual).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(wanted).every(([name, value]) => {
    const have = byLowerName.get(name.toLowerCase());
    return have !== undefined && (value === '*' || have === value);
  });
}
