/**
 * client-node failures -> the product's classified errors (`classifyKubeFailure`, by Status reason).
 *
 * - `ApiException`: client-node 2.x hands the raw response text as `body`; the API server's
 *   `Status` is parsed from it. A 401 may come without a body: the API server's reason for 401 is
 *   always `Unauthorized` (an expired credential: fetch a new kubeconfig and retry).
 * - No HTTP answer at all (refused, reset, DNS, TLS, the request timeout): status undefined, which
 *   the classifier reports as a RetryableError `KubernetesUnreachable`.
 * - Anything else is a client-side problem that retrying will not fix (an unusable kubeconfig).
 */
import { ApiException } from '@kubernetes/client-node';
import {
  type ClassifiedError,
  classifyKubeFailure,
  parseRetryAfterMs,
  RetryableError,
  TerminalError,
} from '../errors/index.js';

interface Status {
  readonly reason?: string;
  readonly message?: string;
  readonly details?: {
    readonly retryAfterSeconds?: number;
    readonly name?: string;
    readonly causes?: readonly { readonly reason?: unknown }[];
  };
}

function causeReasons(status: Status | undefined): string[] {
  const causes: unknown = status?.details?.causes;
  const reasons: string[] = [];
  if (!Array.isArray(causes)) return reasons;
  for (const cause of causes as unknown[]) {
    const reason = (cause as { reason?: unknown } | null)?.reason;
    if (typeof reason === 'string') reasons.push(reason);
  }
  return reasons;
}

export function statusOf(body: unknown): Status | undefined {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  return (parsed as { kind?: unknown }).kind === 'Status' ? parsed : undefined;
}

function retryAfterMs(error: ApiException<unknown>, status: Status | undefined): number | undefined {
  const headers = error.headers ?? {};
  const fromHeaders = parseRetryAfterMs({
    get: (name) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1],
  });
  const seconds = status?.details?.retryAfterSeconds;
  return fromHeaders ?? (typeof seconds === 'number' ? seconds * 1000 : undefined);
}

const networkCodes =
  /^(E(CONN(REFUSED|RESET|ABORTED)|NOTFOUND|AI_AGAIN|TIMEDOUT|HOSTUNREACH|NETUNREACH|PIPE)|UND_ERR_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The innermost cause's code and message, e.g. `ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1`. */
function rootCause(error: unknown): { code: string | undefined; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | undefined)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return {
    code: errorCode(current),
    message: current instanceof Error ? current.message : String(current),
  };
}

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  const code = rootCause(error).code ?? errorCode(error);
  return code !== undefined && networkCodes.test(code);
}

/** `target` names the object, e.g. `Secret ns/name`. */
export function classifyKubeError(error: unknown, target: string): ClassifiedError {
  if (error instanceof RetryableError || error instanceof TerminalError) return error;
  if (error instanceof ApiException) {
    const apiError = error as ApiException<unknown>;
    const status = statusOf(apiError.body);
    return classifyKubeFailure({
      status: apiError.code,
      reason: status?.reason ?? (apiError.code === 401 ? 'Unauthorized' : undefined),
      causeReasons: causeReasons(status),
      message: status?.message ?? `The Kubernetes API server answered HTTP ${apiError.code}`,
      retryAfterMs: retryAfterMs(apiError, status),
      target,
      cause: error,
    });
  }
  if (isNetworkFailure(error)) {
    const { code, message } = rootCause(error);
    const why =
      error instanceof Error && error.name === 'TimeoutError' && code === undefined ? error.message : message;
    return classifyKubeFailure({
      status: undefined,
      reason: undefined,
      message: `The Kubernetes API server could not be reached (${code ?? why}${code === undefined ? '' : `: ${why}`})`,
      target,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TerminalError(`The Kubernetes client failed: ${message}`, {
    reason: 'KubernetesClientFailure',
    mitigation: 'Check the kubeconfig that ARM returns for the cluster (server URL, credentials).',
    target,
    cause: error,
  });
}
