/**
 * One report per sub-step of the host-port cluster step (node pools, NSG, webhook, repair), and the
 * guard that turns a sub-step's classified error into its report, so that one sub-step failing
 * (a busy pool, an unreachable API server) does not hide what the others did.
 */
import { isRetryable, isTerminal } from '../../errors/index.js';
import type { Check } from '../../reconcile/check.js';
import type { ClusterStepOutcome, ClusterStepReport } from '../../reconcile/engine/cluster-step.js';

export const subStepNames = {
  /** The step as a whole (a cluster that did not opt in). */
  step: 'hostPorts',
  nodePools: 'hostPorts/nodePools',
  nsg: 'hostPorts/nsg',
  webhook: 'hostPorts/webhook',
  repair: 'hostPorts/repair',
} as const;

export type SubStepName = (typeof subStepNames)[keyof typeof subStepNames];

export interface SubStepResult {
  readonly report: ClusterStepReport;
  /** Work in flight (a write started, a busy resource): look again after this long. */
  readonly requeueAfterMs?: number | undefined;
  /** Nothing in flight, but look again after this long (leased ports, a grace period). */
  readonly recheckAfterMs?: number | undefined;
}

export function report(
  name: SubStepName,
  result: ClusterStepOutcome,
  message: string,
  extra: { reasonCode?: string | undefined; mitigation?: string | undefined } = {},
): ClusterStepReport {
  return {
    name,
    result,
    message,
    ...(extra.reasonCode === undefined ? {} : { reasonCode: extra.reasonCode }),
    ...(extra.mitigation === undefined ? {} : { mitigation: extra.mitigation }),
  };
}

/** The first error check as a Failed report, or undefined when there is none. */
export function failedByChecks(name: SubStepName, checks: readonly Check[]): SubStepResult | undefined {
  const first = checks.find((c) => c.severity === 'error');
  if (first === undefined) return undefined;
  return {
    report: report(
      name,
      'Failed',
      checks
        .filter((c) => c.severity === 'error')
        .map((c) => c.message)
        .join(' '),
      {
        reasonCode: first.reason,
        mitigation: first.mitigation,
      },
    ),
  };
}

/** Warnings appended to a message, so a converged sub-step still says what may not work. */
export function withWarnings(message: string, checks: readonly Check[]): string {
  const warnings = checks.filter((c) => c.severity === 'warning').map((c) => c.message);
  return warnings.length === 0 ? message : `${message} Warning: ${warnings.join(' ')}`;
}

export function firstWarning(checks: readonly Check[]): Check | undefined {
  return checks.find((c) => c.severity === 'warning');
}

/**
 * Runs a sub-step: a TerminalError becomes its Failed report, a RetryableError an InProgress report
 * that asks for another pass (after the server's Retry-After when it gave one). Anything else is a
 * bug and propagates to the engine.
 */
export async function guarded(
  name: SubStepName,
  retryAfterMs: number,
  run: () => Promise<SubStepResult>,
): Promise<SubStepResult> {
  try {
    return await run();
  } catch (error) {
    if (isTerminal(error)) {
      return {
        report: report(name, 'Failed', error.message, {
          reasonCode: error.reason,
          mitigation: error.mitigation,
        }),
      };
    }
    if (isRetryable(error)) {
      return {
        report: report(name, 'InProgress', error.message, {
          reasonCode: error.reason,
          mitigation: error.mitigation,
        }),
        requeueAfterMs: error.retryAfterMs ?? retryAfterMs,
      };
    }
    throw error;
  }
}

export function earliest(values: readonly (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}
