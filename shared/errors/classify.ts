import { RetryableError, TerminalError, type ClassifiedError } from './errors.js';

/**
 * Classification by ARM error code and Kubernetes status reason, never by message text
 * (Azure Service Operator's rule). Unknown codes: a 4xx other than 408/429 is terminal,
 * everything else is retried.
 */

/** What an ARM call failed with, extracted from the SDK's RestError by the adapters. */
export interface ArmFailure {
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly message: string;
  /** From Retry-After (seconds or HTTP date) or x-ms-retry-after-ms, already converted. */
  readonly retryAfterMs?: number | undefined;
  /** The resource the call was about (ARM id or path). */
  readonly target?: string | undefined;
  readonly cause?: unknown;
}

interface Rule {
  readonly retry: boolean;
  readonly reason: string;
  readonly mitigation?: string;
}

/** ARM error codes whose meaning does not depend on the status code. */
const armCodeRules: Readonly<Record<string, Rule>> = {
  // The cluster (or another resource) is busy: the seed's `Conflict` while a cluster updates.
  Conflict: { retry: true, reason: 'ResourceBusy' },
  AnotherOperationInProgress: { retry: true, reason: 'ResourceBusy' },
  OperationNotAllowed: { retry: true, reason: 'ResourceBusy' },
  EtagMismatch: { retry: true, reason: 'ConcurrentUpdate' },
  PreconditionFailed: { retry: true, reason: 'ConcurrentUpdate' },
  // Identity propagation: a new principal is not visible to ARM RBAC for a while.
  PrincipalNotFound: { retry: true, reason: 'PrincipalNotYetVisible' },
  // Throttling and transient platform faults.
  TooManyRequests: { retry: true, reason: 'Throttled' },
  SubscriptionRequestsThrottled: { retry: true, reason: 'Throttled' },
  ResourceRequestsThrottled: { retry: true, reason: 'Throttled' },
  InternalServerError: { retry: true, reason: 'TransientFailure' },
  ServiceUnavailable: { retry: true, reason: 'TransientFailure' },
  GatewayTimeout: { retry: true, reason: 'TransientFailure' },
  // Outside changes needed: record them, the next sweep or event retries.
  AuthorizationFailed: {
    retry: false,
    reason: 'AuthorizationFailed',
    mitigation:
      "Grant the connector's identity the action named in the message on the resource, then wait for the next sweep or re-save the connection.",
  },
  LinkedAuthorizationFailed: {
    retry: false,
    reason: 'AuthorizationFailed',
    mitigation:
      "Grant the connector's identity the linked action named in the message on the linked resource.",
  },
  MissingSubscriptionRegistration: {
    retry: false,
    reason: 'ProviderNotRegistered',
    mitigation: 'Register the resource provider: az provider register -n <namespace>.',
  },
  SubscriptionNotRegistered: {
    retry: false,
    reason: 'ProviderNotRegistered',
    mitigation: 'Register the resource provider: az provider register -n <namespace>.',
  },
  // With deterministic names a duplicate means the grant is already there under another name: the
  // role assignment port reports it as success; anywhere else, retrying can never change it.
  RoleAssignmentExists: { retry: false, reason: 'AlreadyExists' },
  ResourceNotFound: { retry: false, reason: 'ResourceNotFound' },
  ResourceGroupNotFound: { retry: false, reason: 'ResourceNotFound' },
  ParentResourceNotFound: { retry: false, reason: 'ResourceNotFound' },
  NotFound: { retry: false, reason: 'ResourceNotFound' },
  BadRequest: { retry: false, reason: 'InvalidRequest' },
  InvalidParameter: { retry: false, reason: 'InvalidRequest' },
  InvalidRequestContent: { retry: false, reason: 'InvalidRequest' },
  InvalidResource: { retry: false, reason: 'InvalidRequest' },
  InvalidApiVersionParameter: { retry: false, reason: 'InvalidRequest' },
  MissingApiVersionParameter: { retry: false, reason: 'InvalidRequest' },
  RoleAssignmentLimitExceeded: {
    retry: false,
    reason: 'QuotaExceeded',
    mitigation: 'Remove unused role assignments in the subscription (the limit is per subscription).',
  },
  QuotaExceeded: { retry: false, reason: 'QuotaExceeded' },
};

export function classifyArmFailure(failure: ArmFailure): ClassifiedError {
  const { status, code, message, retryAfterMs, target, cause } = failure;
  const rule = code === undefined ? undefined : armCodeRules[code];
  const details = { status, code, target, cause };
  if (rule !== undefined) {
    return rule.retry
      ? new RetryableError(message, {
          ...details,
          reason: rule.reason,
          mitigation: rule.mitigation,
          retryAfterMs,
        })
      : new TerminalError(message, { ...details, reason: rule.reason, mitigation: rule.mitigation });
  }
  if (status === 429) return new RetryableError(message, { ...details, reason: 'Throttled', retryAfterMs });
  if (status === 409)
    return new RetryableError(message, { ...details, reason: 'ResourceBusy', retryAfterMs });
  if (status !== undefined && status >= 400 && status < 500 && status !== 408) {
    return new TerminalError(message, {
      ...details,
      reason: status === 404 ? 'ResourceNotFound' : 'InvalidRequest',
    });
  }
  // 5xx, 408, network failures without a status: transient until proven otherwise.
  return new RetryableError(message, { ...details, reason: 'TransientFailure', retryAfterMs });
}

/** What a Kubernetes call failed with (from a Status body), extracted by the kube adapters. */
export interface KubeFailure {
  readonly status: number | undefined;
  readonly reason: string | undefined;
  /** `details.causes[].reason` of the Status, e.g. `FieldManagerConflict` for a server-side apply conflict. */
  readonly causeReasons?: readonly string[];
  readonly message: string;
  readonly retryAfterMs?: number | undefined;
  readonly target?: string | undefined;
  readonly cause?: unknown;
}

const kubeReasonRules: Readonly<Record<string, Rule>> = {
  Conflict: { retry: true, reason: 'KubernetesConflict' },
  TooManyRequests: { retry: true, reason: 'Throttled' },
  ServerTimeout: { retry: true, reason: 'TransientFailure' },
  Timeout: { retry: true, reason: 'TransientFailure' },
  InternalError: { retry: true, reason: 'TransientFailure' },
  ServiceUnavailable: { retry: true, reason: 'TransientFailure' },
  // A token from listClusterUserCredential expired: fetch a new kubeconfig and try again.
  Unauthorized: { retry: true, reason: 'KubernetesUnauthorized' },
  Invalid: { retry: false, reason: 'KubernetesInvalid' },
  BadRequest: { retry: false, reason: 'KubernetesInvalid' },
  Forbidden: {
    retry: false,
    reason: 'KubernetesForbidden',
    mitigation: "Give the connector's identity the Kubernetes RBAC permission named in the message.",
  },
  NotFound: { retry: false, reason: 'KubernetesNotFound' },
  UnsupportedMediaType: { retry: false, reason: 'KubernetesInvalid' },
  RequestEntityTooLarge: { retry: false, reason: 'KubernetesInvalid' },
  AlreadyExists: { retry: true, reason: 'KubernetesConflict' },
};

export function classifyKubeFailure(failure: KubeFailure): ClassifiedError {
  const { status, reason, message, retryAfterMs, target, cause } = failure;
  // A stale resourceVersion resolves on a re-read; another field manager owning our fields does not.
  if (reason === 'Conflict' && failure.causeReasons?.includes('FieldManagerConflict') === true) {
    return new TerminalError(message, {
      status,
      code: reason,
      target,
      cause,
      reason: 'FieldManagerConflict',
      mitigation:
        'Another field manager owns fields the connector applies (named in the message): let the connector own them (remove them from the other tool) or delete the object so the connector recreates it.',
    });
  }
  const rule = reason === undefined ? undefined : kubeReasonRules[reason];
  const details = { status, code: reason, target, cause };
  if (rule !== undefined) {
    return rule.retry
      ? new RetryableError(message, {
          ...details,
          reason: rule.reason,
          mitigation: rule.mitigation,
          retryAfterMs,
        })
      : new TerminalError(message, { ...details, reason: rule.reason, mitigation: rule.mitigation });
  }
  if (status === undefined) {
    return new RetryableError(message, {
      ...details,
      reason: 'KubernetesUnreachable',
      mitigation:
        "Check that the cluster's API server is running and reachable from the function app (authorized IP ranges, private cluster).",
    });
  }
  if (status === 429 || status === 408 || status >= 500) {
    return new RetryableError(message, { ...details, reason: 'TransientFailure', retryAfterMs });
  }
  return new TerminalError(message, { ...details, reason: 'KubernetesRequestFailed' });
}

/** Parses Retry-After (delta seconds or an HTTP date) and x-ms-retry-after-ms into milliseconds. */
export function parseRetryAfterMs(
  headers: { get(name: string): string | null | undefined } | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get('x-ms-retry-after-ms') ?? headers.get('retry-after-ms');
  if (ms !== null && ms !== undefined && /^\d+$/.test(ms.trim())) return Number(ms.trim());
  const value = headers.get('retry-after');
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}
