/**
 * `admission.k8s.io/v1` AdmissionReview: reading the API server's request strictly enough to
 * answer it safely, and building responses (uid echoed; JSONPatch is the only patch type).
 */
import type { JsonPatchOperation } from '../util/json-patch.js';
import type { Pod } from './types.js';

export interface AdmissionRequest {
  readonly uid: string;
  readonly kind?: { group?: string; version?: string; kind?: string };
  readonly resource?: { group?: string; version?: string; resource?: string };
  readonly subResource?: string;
  /** Empty on CREATE when the object is named by generateName. */
  readonly name?: string;
  readonly namespace?: string;
  readonly operation: string;
  readonly object?: unknown;
  readonly dryRun?: boolean;
}

export interface AdmissionStatus {
  readonly code: number;
  readonly reason: string;
  readonly message: string;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly patchType?: 'JSONPatch';
  /** Base64 of the JSON patch array. */
  readonly patch?: string;
  readonly warnings?: readonly string[];
  readonly status?: AdmissionStatus;
}

export interface AdmissionReviewResponse {
  readonly apiVersion: 'admission.k8s.io/v1';
  readonly kind: 'AdmissionReview';
  readonly response: AdmissionResponse;
}

/** The body is not an AdmissionReview we can answer: HTTP 400. */
export class MalformedAdmissionReview extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedAdmissionReview';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseAdmissionReview(body: unknown): AdmissionRequest {
  if (!isRecord(body)) throw new MalformedAdmissionReview('the body is not a JSON object');
  if (body['kind'] !== 'AdmissionReview') {
    throw new MalformedAdmissionReview(`kind is ${JSON.stringify(body['kind'])}, expected "AdmissionReview"`);
  }
  if (body['apiVersion'] !== 'admission.k8s.io/v1') {
    throw new MalformedAdmissionReview(
      `apiVersion is ${JSON.stringify(body['apiVersion'])}; this webhook answers admission.k8s.io/v1 only (admissionReviewVersions: [v1])`,
    );
  }
  const request = body['request'];
  if (!isRecord(request)) throw new MalformedAdmissionReview('request is missing or not an object');
  if (typeof request['uid'] !== 'string' || request['uid'] === '') {
    throw new MalformedAdmissionReview('request.uid is missing: it must be echoed in the response');
  }
  if (typeof request['operation'] !== 'string')
    throw new MalformedAdmissionReview('request.operation is missing');
  for (const field of ['name', 'namespace', 'subResource'] as const) {
    if (request[field] !== undefined && typeof request[field] !== 'string') {
      throw new MalformedAdmissionReview(`request.${field} is not a string`);
    }
  }
  if (request['dryRun'] !== undefined && typeof request['dryRun'] !== 'boolean') {
    throw new MalformedAdmissionReview('request.dryRun is not a boolean');
  }
  return request as unknown as AdmissionRequest;
}

export function isPodCreate(request: AdmissionRequest): boolean {
  return (
    request.operation === 'CREATE' &&
    (request.resource?.group ?? '') === '' &&
    request.resource?.resource === 'pods' &&
    (request.subResource ?? '') === ''
  );
}

/** Checks the fields the mutator touches; anything else in the object is carried through untouched. */
export function podOf(request: AdmissionRequest): Pod {
  const object = request.object;
  const spec = isRecord(object) ? object['spec'] : undefined;
  const containers = isRecord(spec) ? spec['containers'] : undefined;
  if (!isRecord(object) || !Array.isArray(containers)) {
    throw new MalformedAdmissionReview('request.object is not a Pod (spec.containers is missing)');
  }
  containers.forEach((c: unknown, i) => {
    if (!isRecord(c) || typeof c['name'] !== 'string') {
      throw new MalformedAdmissionReview(`request.object.spec.containers[${i}] has no name`);
    }
    const ports = c['ports'];
    if (
      ports !== undefined &&
      (!Array.isArray(ports) || ports.some((p) => !isRecord(p) || typeof p['containerPort'] !== 'number'))
    ) {
      throw new MalformedAdmissionReview(
        `request.object.spec.containers[${i}].ports is not a list of container ports`,
      );
    }
    if (c['env'] !== undefined && !Array.isArray(c['env'])) {
      throw new MalformedAdmissionReview(`request.object.spec.containers[${i}].env is not a list`);
    }
  });
  const metadata = object['metadata'];
  if (metadata !== undefined && !isRecord(metadata))
    throw new MalformedAdmissionReview('request.object.metadata is not an object');
  const annotations = isRecord(metadata) ? metadata['annotations'] : undefined;
  if (
    annotations !== undefined &&
    (!isRecord(annotations) || Object.values(annotations).some((v) => typeof v !== 'string'))
  ) {
    throw new MalformedAdmissionReview('request.object.metadata.annotations is not a map of strings');
  }
  return object as unknown as Pod;
}

function review(response: AdmissionResponse): AdmissionReviewResponse {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

export function allowed(uid: string, warnings: readonly string[] = []): AdmissionReviewResponse {
  return review({ uid, allowed: true, ...(warnings.length > 0 ? { warnings } : {}) });
}

export function patched(
  uid: string,
  patch: readonly JsonPatchOperation[],
  warnings: readonly string[] = [],
): AdmissionReviewResponse {
  if (patch.length === 0) return allowed(uid, warnings);
  return review({
    uid,
    allowed: true,
    patchType: 'JSONPatch',
    patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
    ...(warnings.length > 0 ? { warnings } : {}),
  });
}

export function denied(uid: string, status: AdmissionStatus): AdmissionReviewResponse {
  return review({ uid, allowed: false, status });
}
