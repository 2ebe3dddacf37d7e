/**
 * The observed state of a connection: one entry per reconcile step, with a result, a reason code,
 * a message and a mitigation (Kubernetes-condition style: `lastTransitionTime` changes only when the
 * result does). Written by the reconciler, shown by GET. Never a secret value: the reconciler
 * builds messages from names and error codes; sizes are capped so a status always fits its row.
 */

export type StepResult = 'Succeeded' | 'InProgress' | 'Failed' | 'Skipped';

/** The steps the reconciler reports, in the order they run (others may be added). */
export const statusStepNames = [
  'Extension',
  'WorkloadIdentity',
  'KeyVaultSecretsProvider',
  'FederatedCredential',
  'RoleAssignment',
  'Firewall',
  'KubernetesSecret',
  'KubernetesServiceAccount',
  'Cleanup',
] as const;

export interface StatusStep {
  readonly name: string;
  readonly result: StepResult;
  readonly reasonCode?: string;
  readonly message?: string;
  readonly mitigation?: string;
  /** ISO time of the last change of `result`. */
  readonly lastTransitionTime: string;
}

export const statusLimits = { maxSteps: 32, maxNameLength: 64, maxTextLength: 1024 } as const;

function cap(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** Bounds every field and the number of steps, so that a status always fits its table row. */
export function boundStatus(steps: readonly StatusStep[]): StatusStep[] {
  return steps.slice(0, statusLimits.maxSteps).map((s) => {
    const reasonCode = cap(s.reasonCode, statusLimits.maxNameLength);
    const message = cap(s.message, statusLimits.maxTextLength);
    const mitigation = cap(s.mitigation, statusLimits.maxTextLength);
    return {
      name: cap(s.name, statusLimits.maxNameLength) ?? '',
      result: s.result,
      ...(reasonCode === undefined ? {} : { reasonCode }),
      ...(message === undefined ? {} : { message }),
      ...(mitigation === undefined ? {} : { mitigation }),
      lastTransitionTime: s.lastTransitionTime,
    };
  });
}

/** Replaces (or appends) the step of the same name; the transition time moves only when the result changes. */
export function setStep(
  steps: readonly StatusStep[],
  step: Omit<StatusStep, 'lastTransitionTime'>,
  now: Date,
): StatusStep[] {
  const index = steps.findIndex((s) => s.name === step.name);
  const previous = index < 0 ? undefined : steps[index];
  const lastTransitionTime =
    previous !== undefined && previous.result === step.result
      ? previous.lastTransitionTime
      : now.toISOString();
  const next: StatusStep = { ...step, lastTransitionTime };
  return index < 0 ? [...steps, next] : steps.map((s, i) => (i === index ? next : s));
}
