/**
 * The reconciler's inventory of a connection (ADR 0030, 0052, 0081): what it created or decided
 * once, so cleanup removes exactly that and choices are never re-made. Stored as JSON in the
 * connection's row; read defensively (an older or hand-edited row must not crash a reconcile).
 */
import type { Inventory } from '../../model/connection.js';
import type { KeyStyle } from '../configuration/key-names.js';

export interface FirewallRecord {
  /** The target's top-level resource id (TargetRef.resourceId). */
  readonly targetId: string;
  /** Range keys we added (or share with another cluster of ours) for this cluster on that target. */
  readonly ranges: readonly string[];
}

export interface FederatedCredentialRecord {
  readonly identityId: string;
  readonly name: string;
}

export interface ConnectionInventory {
  /** The record on the connection's current target. */
  readonly firewall?: FirewallRecord;
  /**
   * Records on targets the connection no longer points at, whose rules are not removed yet (a
   * removal failed or was held back); dropped once nothing of ours is left there (ADR 0084).
   */
  readonly retiredFirewall?: readonly FirewallRecord[];
  /** Role assignment ids we created. */
  readonly roleAssignments?: readonly string[];
  /** The federated credential of this connection's (identity, namespace), when it is ours. */
  readonly federatedCredential?: FederatedCredentialRecord;
  /** The configuration type and key style, chosen once (ADR 0050). */
  readonly configuration?: { readonly configType: string; readonly keyStyle: KeyStyle };
  /** Set when a connection template created this connection. */
  readonly template?: { readonly name: string; readonly revision: string };
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function firewallRecord(value: unknown): FirewallRecord | undefined {
  const record = object(value);
  const ranges = strings(record?.['ranges']);
  return typeof record?.['targetId'] === 'string' && ranges !== undefined
    ? { targetId: record['targetId'], ranges }
    : undefined;
}

function storedRecord(record: FirewallRecord): { targetId: string; ranges: string[] } {
  return { targetId: record.targetId, ranges: [...record.ranges].sort() };
}

export function readInventory(inventory: Inventory): ConnectionInventory {
  const out: {
    -readonly [K in keyof ConnectionInventory]: ConnectionInventory[K];
  } = {};
  const firewall = firewallRecord(inventory['firewall']);
  if (firewall !== undefined) out.firewall = firewall;
  const retired = Array.isArray(inventory['retiredFirewall'])
    ? inventory['retiredFirewall'].flatMap((r) => firewallRecord(r) ?? [])
    : [];
  if (retired.length > 0) out.retiredFirewall = retired;
  const roles = strings(inventory['roleAssignments']);
  if (roles !== undefined) out.roleAssignments = roles;
  const fic = object(inventory['federatedCredential']);
  if (typeof fic?.['identityId'] === 'string' && typeof fic['name'] === 'string')
    out.federatedCredential = { identityId: fic['identityId'], name: fic['name'] };
  const configuration = object(inventory['configuration']);
  const keyStyle = configuration?.['keyStyle'];
  if (typeof configuration?.['configType'] === 'string' && (keyStyle === 'plain' || keyStyle === 'qualified'))
    out.configuration = { configType: configuration['configType'], keyStyle };
  const template = object(inventory['template']);
  if (typeof template?.['name'] === 'string' && typeof template['revision'] === 'string')
    out.template = { name: template['name'], revision: template['revision'] };
  return out;
}

/** The stored form: only the keys that have a value, in a stable order (so equal means unchanged). */
export function writeInventory(inventory: ConnectionInventory): Inventory {
  const out: Record<string, unknown> = {};
  if (inventory.configuration !== undefined) out['configuration'] = inventory.configuration;
  if (inventory.federatedCredential !== undefined) out['federatedCredential'] = inventory.federatedCredential;
  if (inventory.firewall !== undefined) out['firewall'] = storedRecord(inventory.firewall);
  if (inventory.retiredFirewall !== undefined && inventory.retiredFirewall.length > 0)
    out['retiredFirewall'] = [...inventory.retiredFirewall]
      .map(storedRecord)
      .sort((a, b) => a.targetId.toLowerCase().localeCompare(b.targetId.toLowerCase()));
  if (inventory.roleAssignments !== undefined && inventory.roleAssignments.length > 0)
    out['roleAssignments'] = [...new Set(inventory.roleAssignments)].sort();
  if (inventory.template !== undefined) out['template'] = inventory.template;
  return out;
}
