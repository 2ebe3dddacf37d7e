/**
 * SDK and pipeline failures → the product's classified errors (`classifyArmFailure`), by ARM error
 * code and status, with Retry-After converted. Messages are ARM's own (they name the resource and,
 * for AuthorizationFailed, the action); never a response body of a successful call, which may hold
 * keys, and never the request (its Authorization header), so no `cause` is attached.
 */
import {
  classifyArmFailure,
  parseRetryAfterMs,
  RetryableError,
  TerminalError,
  type ClassifiedError,
} from '../errors/index.js';
import { isObject, parseJson, type HeaderLookup, type Reply } from './reply.js';

/** What a RestError from either SDK generation (or the pipeline) carries; matched by shape. */
interface RestErrorLike {
  readonly name: string;
  readonly message: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly response?: { readonly headers: HeaderLookup; readonly bodyAsText?: string | null };
}

export function isRestErrorLike(error: unknown): error is RestErrorLike {
  return error instanceof Error && error.name === 'RestError';
}

/** `{ error: { code, message } }` (or a bare `{ code, message }`, which some RPs send). */
export function errorEnvelope(body: unknown): { code?: string; message?: string } {
  const inner = isObject(body) && isObject(body['error']) ? body['error'] : body;
  if (!isObject(inner)) return {};
  const code = inner['code'];
  const message = inner['message'];
  return {
    ...(typeof code === 'string' && code !== '' ? { code } : {}),
    ...(typeof message === 'string' && message !== '' ? { message } : {}),
  };
}

/** A failed reply (status >= 400) as a classified error. */
export function failureOfReply(reply: Reply, target: string): ClassifiedError {
  const { code, message } = errorEnvelope(reply.body);
  return classifyArmFailure({
    status: reply.status,
    code,
    message: message ?? `ARM answered ${reply.status} for ${target}.`,
    retryAfterMs: parseRetryAfterMs(reply.headers),
    target,
  });
}

/**
 * Any error thrown by an SDK call or the pipeline, classified. Errors that are not RestErrors are
 * our own bugs and pass through unchanged.
 */
export function classifySdkError(error: unknown, target: string): unknown {
  if (!isRestErrorLike(error)) return error;
  const status = error.statusCode;
  if (status !== undefined && status < 400) {
    // A 2xx whose body the SDK could not read: its message quotes the body, which may be keys.
    return new TerminalError(`The response of ARM for ${target} could not be read (status ${status}).`, {
      reason: 'UnreadableResponse',
      target,
      status,
    });
  }
  const envelope = errorEnvelope(parseJson(error.response?.bodyAsText));
  return classifyArmFailure({
    status,
    code: envelope.code ?? error.code,
    message: envelope.message ?? error.message,
    retryAfterMs: parseRetryAfterMs(error.response?.headers),
    target,
  });
}

/** A classified error (or RestError) with this HTTP status. */
export function isArmStatus(error: unknown, status: number): boolean {
  if (error instanceof RetryableError || error instanceof TerminalError) return error.status === status;
  return isRestErrorLike(error) && error.statusCode === status;
}

/** A classified error (or RestError) with this ARM error code, compared case-insensitively. */
export function isArmCode(error: unknown, code: string): boolean {
  const actual =
    error instanceof RetryableError || error instanceof TerminalError
      ? error.code
      : isRestErrorLike(error)
        ? error.code
        : undefined;
  return actual?.toLowerCase() === code.toLowerCase();
}
