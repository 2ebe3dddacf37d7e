/**
 * One wrapper for every route: api-version first, then the route's work; every failure becomes an
 * ARM error response. Expected errors (ApiError) carry their status; storage outages become 503
 * with Retry-After; anything else is logged (redacted) and answered with a bare 500.
 */
import { isRetryable } from '../../errors/index.js';
import { ApiError, apiErrors } from '../arm-error.js';
import type { ApiDeps, CallContext } from './deps.js';
import { requireApiVersion, retryAfterSeconds, type ApiRequest, type ApiResponse } from './http.js';

export type Route = (request: ApiRequest, call: CallContext, deps: ApiDeps) => Promise<ApiResponse>;

const correlationIdPattern = /^[A-Za-z0-9-]{1,64}$/;

export async function handleApi(
  request: ApiRequest,
  call: CallContext,
  deps: () => ApiDeps,
  route: Route,
): Promise<ApiResponse> {
  let response: ApiResponse;
  try {
    requireApiVersion(request.query);
    response = await route(request, call, deps());
  } catch (error) {
    response = errorResponse(error, call, request);
  }
  call.logger.info('api request', {
    method: request.method,
    path: pathOf(request.url),
    status: response.status,
  });
  return { ...response, headers: { ...response.headers, ...standardHeaders(request, call) } };
}

function errorResponse(error: unknown, call: CallContext, request: ApiRequest): ApiResponse {
  const apiError =
    error instanceof ApiError
      ? error
      : isRetryable(error)
        ? apiErrors.unavailable(retryAfterSeconds)
        : undefined;
  if (apiError !== undefined) {
    return { status: apiError.status, headers: { ...apiError.headers }, jsonBody: apiError.body };
  }
  call.logger.error('api request failed', { method: request.method, path: pathOf(request.url), error });
  const internal = apiErrors.internal();
  return { status: internal.status, headers: {}, jsonBody: internal.body };
}

function standardHeaders(request: ApiRequest, call: CallContext): Record<string, string> {
  const correlation = request.headers.get('x-ms-correlation-request-id');
  return {
    'x-ms-request-id': call.requestId,
    ...(correlation !== null && correlationIdPattern.test(correlation)
      ? { 'x-ms-correlation-request-id': correlation }
      : {}),
  };
}

/** The path without the query string (which may carry a function key). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
