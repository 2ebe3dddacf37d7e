/**
 * Authorization as the emulator models it: every principal may do everything, except what a deny
 * rule takes away. That is enough to reproduce AuthorizationFailed (403) for a missing action on a
 * scope, which is what the connector must handle, without emulating role definitions' semantics.
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../core/arm-error.js';
import { key } from '../core/store.js';

export interface DenyRule {
  /** Object id of the principal; omit to deny everyone. */
  readonly principalId?: string;
  /** Action glob, e.g. `Microsoft.Storage/storageAccounts/write`, `Microsoft.Authorization/*`, `*`. */
  readonly action: string;
  /** Resource id prefix the rule covers (the scope and everything under it); omit for everywhere. */
  readonly scope?: string;
}

export interface RuleHandle {
  readonly id: string;
  remove(): void;
}

function actionMatcher(glob: string): (action: string) => boolean {
  const re = new RegExp(
    '^' +
      glob
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
        .join('.*') +
      '$',
    'i',
  );
  return (a) => re.test(a);
}

export class Rbac {
  private rules: { id: string; rule: DenyRule; matches: (action: string) => boolean }[] = [];

  deny(rule: DenyRule): RuleHandle {
    const id = randomUUID();
    this.rules.push({ id, rule, matches: actionMatcher(rule.action) });
    return { id, remove: () => (this.rules = this.rules.filter((r) => r.id !== id)) };
  }

  clear(): void {
    this.rules = [];
  }

  /** Throws AuthorizationFailed when a rule denies `action` on `scope` to the principal. */
  check(principal: { principalId: string; clientId: string }, action: string, scope: string): void {
    const target = key(scope);
    const denied = this.rules.find(
      ({ rule, matches }) =>
        (rule.principalId === undefined || rule.principalId.toLowerCase() === principal.principalId) &&
        (rule.scope === undefined ||
          target === key(rule.scope) ||
          target.startsWith(key(rule.scope) + '/')) &&
        matches(action),
    );
    if (denied === undefined) return;
    throw new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${principal.clientId}' with object id '${principal.principalId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }
}
