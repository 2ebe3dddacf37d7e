/**
 * The in-process retry of every ARM call, capped (ADR 0073). The SDKs' default policy honours any
 * Retry-After in full (ARM may ask for a minute) and its `retryOptions` bound only the exponential
 * back-off, so one call can sleep far longer than a function invocation should. This policy keeps
 * the same machinery (`retryPolicy` of @azure/core-rest-pipeline, same retried statuses and network
 * errors) but never waits longer than `maxRetryDelayInMs` at a time: a longer Retry-After ends the
 * retries at once and the 429 surfaces, as RetryableError with `retryAfterMs`, for the queue to wait
 * out. Worst case per call: `maxRetries * maxRetryDelayInMs` of sleep (defaults: 3 * 3 s = 9 s).
 */
import {
  retryPolicy,
  type Pipeline,
  type PipelinePolicy,
  type RetryStrategy,
} from '@azure/core-rest-pipeline';
import { parseRetryAfterMs } from '../errors/index.js';

export interface ArmRetryOptions {
  /** Retries after the first attempt. */
  readonly maxRetries?: number;
  /** First back-off for 5xx, 408 and network errors; doubles per retry (with jitter). */
  readonly retryDelayInMs?: number;
  /** The longest single wait, computed or server-given. */
  readonly maxRetryDelayInMs?: number;
}

export const defaultArmRetry: Required<ArmRetryOptions> = {
  maxRetries: 3,
  retryDelayInMs: 800,
  maxRetryDelayInMs: 3000,
};

export const armRetryPolicyName = 'connectorArmRetryPolicy';
/** The name @azure/core-rest-pipeline gives the policy every SDK client starts with. */
const sdkDefaultRetryPolicyName = 'defaultRetryPolicy';

/** Transport failures the SDKs retry (`exponentialRetryStrategy`'s list). */
const networkErrorCodes = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'ENOTFOUND',
]);

function isTransientStatus(status: number): boolean {
  return status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

function armRetryStrategy(options: Required<ArmRetryOptions>): RetryStrategy {
  const backoff = (retryCount: number): number => {
    const exponential = Math.min(options.maxRetryDelayInMs, options.retryDelayInMs * 2 ** retryCount);
    return Math.round(exponential / 2 + Math.random() * (exponential / 2));
  };
  return {
    name: 'connectorArmRetryStrategy',
    retry({ retryCount, response, responseError }) {
      const status = response?.status;
      if (status === 429 || status === 503) {
        const after = parseRetryAfterMs(response?.headers);
        if (after === undefined) return { retryAfterInMs: backoff(retryCount) };
        // Longer than we may wait here: stop retrying and let the queue wait instead.
        return after <= options.maxRetryDelayInMs ? { retryAfterInMs: after } : { skipStrategy: true };
      }
      if (status !== undefined) {
        return isTransientStatus(status) ? { retryAfterInMs: backoff(retryCount) } : { skipStrategy: true };
      }
      const code = (responseError as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' && networkErrorCodes.has(code)
        ? { retryAfterInMs: backoff(retryCount) }
        : { skipStrategy: true };
    },
  };
}

export function armRetryPolicy(options: ArmRetryOptions = {}): PipelinePolicy {
  const resolved = { ...defaultArmRetry, ...options };
  const policy = retryPolicy([armRetryStrategy(resolved)], { maxRetries: resolved.maxRetries });
  return { name: armRetryPolicyName, sendRequest: (request, next) => policy.sendRequest(request, next) };
}

/** Replaces the SDK's default retry policy in a client's (or our own) pipeline with the capped one. */
export function capRetries(pipeline: Pipeline, options: ArmRetryOptions = {}): void {
  pipeline.removePolicy({ name: sdkDefaultRetryPolicyName });
  pipeline.removePolicy({ name: armRetryPolicyName });
  pipeline.addPolicy(armRetryPolicy(options), { phase: 'Retry' });
}
