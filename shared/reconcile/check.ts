/**
 * What every planner reports besides its changes: one entry per policy that found something, named
 * after what it detected (cert-manager style: `RuleLimitExceeded`, `PublicNetworkAccessDisabled`),
 * with a message a person can act on. Errors block the step; warnings and infos do not.
 */

export type CheckSeverity = 'info' | 'warning' | 'error';

export interface Check {
  readonly reason: string;
  readonly severity: CheckSeverity;
  readonly message: string;
  readonly mitigation?: string;
}

export function info(reason: string, message: string): Check {
  return { reason, severity: 'info', message };
}

export function warning(reason: string, message: string, mitigation?: string): Check {
  return mitigation === undefined
    ? { reason, severity: 'warning', message }
    : { reason, severity: 'warning', message, mitigation };
}

export function error(reason: string, message: string, mitigation?: string): Check {
  return mitigation === undefined
    ? { reason, severity: 'error', message }
    : { reason, severity: 'error', message, mitigation };
}

export function hasErrors(checks: readonly Check[]): boolean {
  return checks.some((c) => c.severity === 'error');
}
