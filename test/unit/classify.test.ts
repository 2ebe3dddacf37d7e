import { describe, expect, it } from 'vitest';
import {
  RetryableError,
  TerminalError,
  classifyArmFailure,
  classifyKubeFailure,
  parseRetryAfterMs,
} from '../../shared/errors/index.js';

describe('classifyArmFailure', () => {
  it.each([
    ['a cluster that is updating (409 Conflict) is retried', 409, 'Conflict', RetryableError, 'ResourceBusy'],
    [
      'another operation in progress is retried',
      409,
      'AnotherOperationInProgress',
      RetryableError,
      'ResourceBusy',
    ],
    [
      'a principal not yet visible is retried',
      400,
      'PrincipalNotFound',
      RetryableError,
      'PrincipalNotYetVisible',
    ],
    ['throttling is retried', 429, 'TooManyRequests', RetryableError, 'Throttled'],
    ['an unknown 429 code is retried', 429, 'SomethingNew', RetryableError, 'Throttled'],
    ['an internal server error is retried', 500, 'InternalServerError', RetryableError, 'TransientFailure'],
    ['an unknown 5xx is retried', 503, undefined, RetryableError, 'TransientFailure'],
    ['a network failure without status is retried', undefined, undefined, RetryableError, 'TransientFailure'],
    [
      'a missing permission is recorded, not retried',
      403,
      'AuthorizationFailed',
      TerminalError,
      'AuthorizationFailed',
    ],
    [
      'an unregistered provider is recorded',
      409,
      'MissingSubscriptionRegistration',
      TerminalError,
      'ProviderNotRegistered',
    ],
    ['a missing resource is recorded', 404, 'ResourceNotFound', TerminalError, 'ResourceNotFound'],
    [
      'a duplicate role assignment is never retried',
      409,
      'RoleAssignmentExists',
      TerminalError,
      'AlreadyExists',
    ],
    ['a bad parameter is recorded', 400, 'InvalidParameter', TerminalError, 'InvalidRequest'],
    ['an unknown 400 is recorded', 400, 'SomethingElse', TerminalError, 'InvalidRequest'],
    ['an unknown 409 is retried', 409, 'SomethingElse', RetryableError, 'ResourceBusy'],
    ['a request timeout is retried', 408, undefined, RetryableError, 'TransientFailure'],
  ])('%s', (_name, status, code, kind, reason) => {
    const error = classifyArmFailure({ status, code, message: 'm', target: '/subscriptions/x' });
    expect(error).toBeInstanceOf(kind);
    expect(error.reason).toBe(reason);
    expect(error.target).toBe('/subscriptions/x');
  });

  it('keeps the Retry-After delay on retryable errors', () => {
    const error = classifyArmFailure({
      status: 429,
      code: 'TooManyRequests',
      message: 'm',
      retryAfterMs: 7000,
    });
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(7000);
  });

  it('gives a mitigation for an unregistered provider', () => {
    const error = classifyArmFailure({ status: 409, code: 'MissingSubscriptionRegistration', message: 'm' });
    expect(error.mitigation).toMatch(/az provider register/);
  });
});

describe('classifyKubeFailure', () => {
  it.each([
    ['a stale resourceVersion is retried', 409, 'Conflict', RetryableError],
    ['API priority and fairness throttling is retried', 429, 'TooManyRequests', RetryableError],
    ['an expired token is retried (new kubeconfig)', 401, 'Unauthorized', RetryableError],
    ['an invalid object is recorded', 422, 'Invalid', TerminalError],
    ['a forbidden request is recorded', 403, 'Forbidden', TerminalError],
    ['an unreachable API server is retried', undefined, undefined, RetryableError],
    ['an unknown 5xx is retried', 502, undefined, RetryableError],
    ['an unknown 4xx is recorded', 418, undefined, TerminalError],
  ])('%s', (_name, status, reason, kind) => {
    expect(classifyKubeFailure({ status, reason, message: 'm' })).toBeInstanceOf(kind);
  });

  it('records a server-side apply conflict with another field manager instead of retrying it', () => {
    const error = classifyKubeFailure({
      status: 409,
      reason: 'Conflict',
      causeReasons: ['FieldManagerConflict'],
      message: 'Apply failed with 1 conflict: conflict with "kubectl": .data.KEY',
    });
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.reason).toBe('FieldManagerConflict');
    expect(error.mitigation).toMatch(/field manager/);
  });

  it('retries a stale resourceVersion conflict (no field-manager cause)', () => {
    expect(
      classifyKubeFailure({ status: 409, reason: 'Conflict', causeReasons: [], message: 'm' }),
    ).toBeInstanceOf(RetryableError);
  });

  it('says how to fix an unreachable API server', () => {
    expect(
      classifyKubeFailure({ status: undefined, reason: undefined, message: 'ECONNREFUSED' }).reason,
    ).toBe('KubernetesUnreachable');
  });
});

describe('parseRetryAfterMs', () => {
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
  it.each([
    ['delta seconds', { 'retry-after': '5' }, 5000],
    ['x-ms-retry-after-ms wins', { 'retry-after': '5', 'x-ms-retry-after-ms': '1200' }, 1200],
    ['an HTTP date in the future', { 'retry-after': new Date(1_000_000 + 3000).toUTCString() }, 3000],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['absent', {}, undefined],
  ])('reads %s', (_name, h, expected) => {
    const got = parseRetryAfterMs(headers(h), () => 1_000_000);
    if (expected === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(expected, -3);
  });
});
