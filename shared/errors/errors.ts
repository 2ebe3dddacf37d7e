/**
 * The one error taxonomy of the product (controller-runtime / Azure Service Operator style).
 *
 * - RetryableError: the work should run again later (queue redelivery, Event Grid retry). Thrown.
 * - TerminalError: retrying will not help until something outside changes (permissions, input,
 *   a deleted target). Recorded on the connection's status with a reason code and a mitigation,
 *   then acknowledged. Never thrown past a trigger.
 *
 * Messages never carry secret values; they may name resources, fields and actions.
 */

export interface ErrorDetails {
  /** Stable, machine-readable reason, e.g. `ClusterUpdating`, `AuthorizationFailed`. */
  readonly reason: string;
  /** What a person can do about it (a command, a setting). */
  readonly mitigation?: string | undefined;
  /** The resource or field the error is about. */
  readonly target?: string | undefined;
  /** The upstream status code and error code, when there was one. */
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly cause?: unknown;
}

export class RetryableError extends Error {
  readonly kind = 'retryable' as const;
  readonly reason: string;
  readonly mitigation: string | undefined;
  readonly target: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** A server-given delay (Retry-After) in milliseconds, when known. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ErrorDetails & { retryAfterMs?: number | undefined }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RetryableError';
    this.reason = details.reason;
    this.mitigation = details.mitigation;
    this.target = details.target;
    this.status = details.status;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export class TerminalError extends Error {
  readonly kind = 'terminal' as const;
  readonly reason: string;
  readonly mitigation: string | undefined;
  readonly target: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;

  constructor(message: string, details: ErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TerminalError';
    this.reason = details.reason;
    this.mitigation = details.mitigation;
    this.target = details.target;
    this.status = details.status;
    this.code = details.code;
  }
}

export type ClassifiedError = RetryableError | TerminalError;

export function isRetryable(error: unknown): error is RetryableError {
  return error instanceof RetryableError;
}

export function isTerminal(error: unknown): error is TerminalError {
  return error instanceof TerminalError;
}
