/**
 * One item of validateLinker's answer (ServiceLinker's ValidationResultItem plus our mitigation),
 * and the ways a check becomes one: a problem found, a read that could not be made, a planner's
 * check.
 */
import type { Check } from '../check.js';
import type { Observed } from './run.js';

export type ValidationResult = 'success' | 'failure' | 'warning';

export interface ValidationItem {
  readonly name: string;
  readonly description: string;
  readonly result: ValidationResult;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Ours: what to do about a failure or warning. */
  readonly mitigation?: string;
}

export function item(
  name: string,
  description: string,
  result: ValidationResult,
  problem?: { code: string; message: string; mitigation?: string | undefined },
): ValidationItem {
  return {
    name,
    description,
    result,
    ...(problem === undefined
      ? {}
      : {
          errorCode: problem.code,
          errorMessage: problem.message,
          ...(problem.mitigation === undefined ? {} : { mitigation: problem.mitigation }),
        }),
  };
}

/** A check that passed with something worth saying (in `errorMessage`, without an error code). */
export function passedWithNote(name: string, description: string, note: string): ValidationItem {
  return { name, description, result: 'success', errorMessage: note };
}

/** A read that failed: the check could not be made. */
export function unreadable(
  name: string,
  description: string,
  observed: Observed<unknown> | undefined,
): ValidationItem {
  const error = observed !== undefined && !observed.ok ? observed.error : undefined;
  const reason = (error as { reason?: string } | undefined)?.reason ?? 'NotRead';
  const message = error instanceof Error ? error.message : 'The resource could not be read.';
  return item(name, description, 'warning', { code: reason, message });
}

export function fromCheck(
  name: string,
  description: string,
  check: Check | undefined,
  result: ValidationResult,
): ValidationItem {
  return check === undefined
    ? item(name, description, result)
    : item(name, description, result, {
        code: check.reason,
        message: check.message,
        mitigation: check.mitigation,
      });
}
