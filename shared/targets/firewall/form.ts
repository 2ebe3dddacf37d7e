/**
 * How one kind of target represents its IP firewall, read and written in that target's own form.
 * The generic planner (shared/reconcile/firewall-plan.ts) decides what to add and remove on
 * canonical ranges; a form reads the current rules out of the ARM body (or the child rule list)
 * and renders the decision back into the body or child resources the target expects.
 */
import type { IpRange } from '../../util/ip.js';
import type { ArmChild, ArmResource } from '../arm-body.js';

/** What the gatherer read for the firewall: the resource and, per form, one extra read. */
export interface FirewallObservation {
  readonly resource: ArmResource;
  /** Event Hubs / Service Bus: `GET {namespace}/networkRuleSets/default`. */
  readonly networkRuleSet?: ArmResource;
  /** SQL, PostgreSQL, MySQL, Redis: `GET {server}/firewallRules` (`value`). */
  readonly firewallRules?: readonly ArmChild[];
}

export type PublicAccess =
  /** Public network access is off (or only private paths exist): report, never open it. */
  | { readonly state: 'disabled'; readonly reason: string; readonly message: string }
  /** Every public address is admitted: nothing to add, and adding a rule could close it. */
  | { readonly state: 'open'; readonly message: string }
  | { readonly state: 'restricted' };

export interface ExistingRule {
  /** How the rule is addressed for removal: the rule name, or the raw value in the list. */
  readonly key: string;
  /** As the target shows it, for messages. */
  readonly display: string;
  /** Undefined when it is not an IPv4 range (IPv6, garbage): such rules are never touched. */
  readonly range: IpRange | undefined;
  /** Named forms: the rule name. */
  readonly name?: string;
}

export interface FirewallState {
  readonly access: PublicAccess;
  readonly rules: readonly ExistingRule[];
  /** VNet rules or similar that keep access restricted even when the IP rule list is empty. */
  readonly otherRestrictions: boolean;
  /** The "allow Azure services" switch as this target spells it, when it has one. */
  readonly azureServicesAllowed: boolean;
}

/** What the planner decided, in canonical terms, for the form to render. */
export interface FirewallDecision {
  readonly keep: readonly ExistingRule[];
  readonly remove: readonly ExistingRule[];
  readonly add: readonly IpRange[];
  readonly enableAzureServices: boolean;
}

export type FirewallWrite =
  /** Replace the rule list inside one body: PATCH the resource or PUT the network rule set. */
  | {
      readonly kind: 'replace-list';
      readonly method: 'PATCH' | 'PUT';
      /** Appended to the top-level resource id ('' for the resource itself). */
      readonly path: string;
      readonly body: Record<string, unknown>;
    }
  /** Create (PUT) and delete named child rules under `{resource}/firewallRules/{name}`. */
  | {
      readonly kind: 'child-rules';
      readonly put: readonly { readonly name: string; readonly body: Record<string, unknown> }[];
      readonly delete: readonly string[];
    };

export interface FirewallForm {
  /** e.g. `storage-network-acls`. */
  readonly name: string;
  /** One line: where rules live and in which shape. */
  readonly shape: string;
  /** The service's rule limit, or undefined when no limit is documented (ADR 0052). */
  readonly maxRules: number | undefined;
  readonly limitSource: string;
  /** An empty IP rule list means "everyone": never remove the last rule. */
  readonly emptyMeansOpen: boolean;
  /** Storage: IP rules do not apply to clients in the target's own region. */
  readonly sameRegionIneffective: boolean;
  /** Whether the target has an "allow Azure services" switch we can turn on on request. */
  readonly supportsAzureServices: boolean;
  /** The extra read this form needs beyond the resource body. */
  readonly extraRead: 'networkRuleSet' | 'firewallRules' | undefined;
  /** Named forms: the deterministic name of the rule we write for a range (ADR 0052). */
  readonly ruleName?: (range: IpRange) => string;
  /** The ranges written for one desired range (Storage cannot hold /31 or /32). */
  writable(range: IpRange): readonly IpRange[];
  readState(observed: FirewallObservation): FirewallState;
  /** Undefined when the decision changes nothing. */
  render(observed: FirewallObservation, decision: FirewallDecision): FirewallWrite | undefined;
}
