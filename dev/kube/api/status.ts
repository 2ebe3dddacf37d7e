import type { JsonObject } from '../core/json.js';
import { aggregate, errorBody, type FieldError } from './field-errors.js';

/**
 * `metav1.Status` failures shaped exactly as k8s.io/apimachinery/pkg/api/errors builds them, with
 * the JSON key order of the Go structs (kind, apiVersion, metadata, status, message, reason,
 * details, code), so clients and humans see the bodies a real API server sends.
 */
export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

export function grString(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string | undefined,
    message: string,
    readonly details?: StatusDetails,
    /** Extra response headers (Retry-After for 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  toStatus(): JsonObject {
    const status: JsonObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' };
    if (this.message !== '') status.message = this.message;
    if (this.reason !== undefined && this.reason !== '') status.reason = this.reason;
    if (this.details !== undefined) status.details = detailsJson(this.details);
    status.code = this.code;
    return status;
  }
}

function detailsJson(d: StatusDetails): JsonObject {
  const out: JsonObject = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length > 0) {
    out.causes = d.causes.map((c) => {
      const cause: JsonObject = {};
      if (c.reason) cause.reason = c.reason;
      if (c.message) cause.message = c.message;
      if (c.field) cause.field = c.field;
      return cause;
    });
  }
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

function grDetails(gr: GroupResource, name: string): StatusDetails {
  return { name, group: gr.group, kind: gr.resource };
}

/** The `OptimisticLockErrorMsg` of k8s.io/apiserver's generic registry store. */
export const optimisticLockMessage =
  'the object has been modified; please apply your changes to the latest version and try again';

export const errors = {
  notFound: (gr: GroupResource, name: string): KubeError =>
    new KubeError(404, 'NotFound', `${grString(gr)} "${name}" not found`, grDetails(gr, name)),

  /** What a path the server does not serve answers (no details beyond an empty object). */
  resourceNotFound: (): KubeError =>
    new KubeError(404, 'NotFound', 'the server could not find the requested resource', {}),

  alreadyExists: (gr: GroupResource, name: string): KubeError =>
    new KubeError(409, 'AlreadyExists', `${grString(gr)} "${name}" already exists`, grDetails(gr, name)),

  conflict: (gr: GroupResource, name: string, cause: string): KubeError =>
    new KubeError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${grString(gr)} "${name}": ${cause}`,
      grDetails(gr, name),
    ),

  /** NewInvalid: the group/kind here is a kind (`Deployment.apps`), not a resource. */
  invalid: (group: string, kind: string, name: string, errs: readonly FieldError[]): KubeError => {
    const qualified = group === '' ? kind : `${kind}.${group}`;
    const message =
      errs.length === 0
        ? `${qualified} "${name}" is invalid`
        : `${qualified} "${name}" is invalid: ${aggregate(errs)}`;
    return new KubeError(422, 'Invalid', message, {
      name,
      group,
      kind,
      causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
    });
  },

  forbidden: (gr: GroupResource, name: string, cause: string): KubeError =>
    new KubeError(
      403,
      'Forbidden',
      name === ''
        ? `${grString(gr)} is forbidden: ${cause}`
        : `${grString(gr)} "${name}" is forbidden: ${cause}`,
      grDetails(gr, name),
    ),

  badRequest: (message: string): KubeError => new KubeError(400, 'BadRequest', message),

  unauthorized: (): KubeError => new KubeError(401, 'Unauthorized', 'Unauthorized'),

  methodNotSupported: (gr: GroupResource, action: string): KubeError =>
    new KubeError(
      405,
      'MethodNotAllowed',
      `${action} is not supported on resources of kind "${grString(gr)}"`,
      { group: gr.group, kind: gr.resource },
    ),

  unsupportedMediaType: (accepted: readonly string[]): KubeError =>
    new KubeError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),

  /** NewInternalError: the message is prefixed and repeated as the single cause. */
  internal: (message: string): KubeError =>
    new KubeError(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    }),

  /** NewGenericServerResponse(422, ...): what a JSON patch that cannot be applied answers. */
  unprocessablePatch: (serverMessage: string): KubeError =>
    new KubeError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
      causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }],
    }),

  tooLarge: (message: string): KubeError => new KubeError(413, 'RequestEntityTooLarge', message),
};
