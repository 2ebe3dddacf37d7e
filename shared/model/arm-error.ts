/**
 * Errors in ARM's envelope `{error: {code, message, target, details: [{code, message, target}]}}`
 * (common-types ErrorResponse). `ApiError` carries the status and the body; the HTTP layer turns it
 * into a response. Messages name fields and resources, never secret values.
 */
import { commonTarget, type Issue } from './validation/issues.js';

export interface ArmErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

export interface ArmErrorBody {
  readonly error: ArmErrorDetail & { readonly details?: readonly ArmErrorDetail[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ArmErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.error.message);
    this.name = 'ApiError';
  }
}

function error(
  status: number,
  code: string,
  message: string,
  target?: string,
  details?: readonly ArmErrorDetail[],
): ApiError {
  return new ApiError(status, {
    error: {
      code,
      message,
      ...(target === undefined || target === '' ? {} : { target }),
      ...(details === undefined ? {} : { details }),
    },
  });
}

export const supportedApiVersion = '2024-04-01';

export const apiErrors = {
  missingApiVersion: () =>
    error(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    ),

  invalidApiVersion: (given: string) =>
    error(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${given.slice(0, 40)}' is invalid. The supported versions are '${supportedApiVersion}'.`,
    ),

  invalidRequestContent: (why: string) =>
    error(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: ${why}`,
    ),

  /** Every problem of one request, together. */
  validation: (issues: readonly Issue[], what: string) => {
    const details = issues.map((i) => ({ code: i.code, message: i.message, target: i.target }));
    const only = issues.length === 1 ? issues[0] : undefined;
    const message =
      only === undefined ? `The ${what} has ${issues.length} problems; see details.` : only.message;
    return error(400, 'BadRequest', message, commonTarget(issues.map((i) => i.target)), details);
  },

  notFound: (what: string, name: string) =>
    error(404, 'ResourceNotFound', `The ${what} '${name}' was not found.`),

  conflict: (code: string, message: string, target?: string) => error(409, code, message, target),

  preconditionFailed: (message: string) => error(412, 'PreconditionFailed', message),

  tooLarge: (limit: number) =>
    error(
      413,
      'RequestEntityTooLarge',
      `The request body is larger than ${limit} bytes, the most this API accepts.`,
    ),

  methodNotAllowed: (method: string) =>
    error(405, 'MethodNotAllowed', `The method ${method.slice(0, 16)} is not supported on this route.`),

  unsupportedMediaType: (contentType: string) =>
    error(
      415,
      'UnsupportedMediaType',
      `The content type '${contentType.slice(0, 80)}' is not supported; send application/json.`,
    ),

  internal: () =>
    error(
      500,
      'InternalServerError',
      'The request failed because of an internal error. Retry it; if it keeps failing, check the function app logs.',
    ),

  unavailable: (retryAfterSeconds: number) =>
    new ApiError(
      503,
      {
        error: {
          code: 'ServiceUnavailable',
          message: 'The connector store is not available right now; retry the request.',
        },
      },
      { 'Retry-After': String(retryAfterSeconds) },
    ),
};
