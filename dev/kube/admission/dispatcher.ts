import { randomUUID } from 'node:crypto';
import { KubeError, errors } from '../api/status.js';
import { arr, deepEqual, isObject, num, obj, str, type Json, type JsonObject } from '../core/json.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import type { AdmissionAttributes, AdmissionHost } from './attributes.js';
import { shouldCall } from './matcher.js';
import { WebhookCallError, postAdmissionReview } from './webhook-client.js';

/** A failure to get a usable answer from a webhook: subject to the webhook's failurePolicy. */
class CallingWebhookError extends Error {
  constructor(name: string, reason: string) {
    super(`failed calling webhook ${JSON.stringify(name)}: ${reason}`);
  }
}

function reviewRequest(a: AdmissionAttributes, uid: string): JsonObject {
  const gvk = { group: a.type.group, version: a.type.version, kind: a.type.kind };
  const gvr = { group: a.type.group, version: a.type.version, resource: a.type.resource };
  const request: JsonObject = { uid, kind: gvk, resource: gvr };
  if (a.subresource !== '') request.subResource = a.subresource;
  request.requestKind = gvk;
  request.requestResource = gvr;
  if (a.subresource !== '') request.requestSubResource = a.subresource;
  if (a.name !== '') request.name = a.name;
  if (a.namespace !== '') request.namespace = a.namespace;
  request.operation = a.operation;
  const user: JsonObject = { username: a.user.username, groups: [...a.user.groups] };
  if (a.user.uid !== undefined) user.uid = a.user.uid;
  request.userInfo = user;
  request.object = a.object === null ? null : structuredClone(a.object);
  request.oldObject = a.oldObject === null ? null : structuredClone(a.oldObject);
  request.dryRun = a.dryRun;
  request.options = structuredClone(a.options);
  return { kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request };
}

/** VerifyAdmissionResponse: the review must echo the uid and use a JSONPatch patch type. */
function verifyResponse(review: JsonObject, uid: string, mutating: boolean): JsonObject {
  if (review.apiVersion !== 'admission.k8s.io/v1' || review.kind !== 'AdmissionReview') {
    const got = `${str(review.apiVersion) ?? '/'}, Kind=${str(review.kind) ?? ''}`;
    throw new Error(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${got}`);
  }
  const response = obj(review.response);
  if (response === undefined) throw new Error('webhook response was absent');
  if (str(response.uid) !== uid) {
    throw new Error(
      `expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(str(response.uid) ?? '')}`,
    );
  }
  const patch = str(response.patch) ?? '';
  const patchType = str(response.patchType);
  if (mutating) {
    if (patch !== '' && patchType === undefined)
      throw new Error('webhook returned response.patch but not response.patchType');
    if (patch !== '' && patchType !== 'JSONPatch')
      throw new Error(`webhook returned invalid response.patchType of ${JSON.stringify(patchType)}`);
    if (patch === '' && patchType !== undefined)
      throw new Error('webhook returned response.patchType but not response.patch');
  } else if (patch !== '' || patchType !== undefined) {
    throw new Error('validating webhook may not return response.patch or response.patchType');
  }
  return response;
}

/** webhookerrors.ToStatusErr: a denial keeps the webhook's status, with code >= 400. */
function denial(name: string, result: JsonObject | undefined): KubeError {
  const deniedBy = `admission webhook ${JSON.stringify(name)} denied the request`;
  const message = str(result?.message) ?? '';
  const reason = str(result?.reason) ?? '';
  const text =
    message !== ''
      ? `${deniedBy}: ${message}`
      : reason !== ''
        ? `${deniedBy}: ${reason}`
        : `${deniedBy} without explanation`;
  const code = num(result?.code) ?? 0;
  const details = obj(result?.details);
  return new KubeError(
    code < 400 ? 403 : code,
    reason,
    text,
    details === undefined
      ? undefined
      : {
          name: str(details.name) ?? '',
          group: str(details.group) ?? '',
          kind: str(details.kind) ?? '',
          causes: (arr(details.causes) ?? []).filter(isObject).map((c) => ({
            reason: str(c.reason) ?? '',
            message: str(c.message) ?? '',
            field: str(c.field) ?? '',
          })),
        },
  );
}

async function call(hook: JsonObject, a: AdmissionAttributes, mutating: boolean): Promise<JsonObject> {
  const name = str(hook.name) ?? '';
  const cc = obj(hook.clientConfig) ?? {};
  const url = str(cc.url);
  if (url === undefined)
    throw new CallingWebhookError(
      name,
      'could not get REST client: service references are not reachable from the emulator',
    );
  const uid = randomUUID();
  let review: JsonObject;
  try {
    review = await postAdmissionReview(
      { url, caBundle: str(cc.caBundle), timeoutSeconds: num(hook.timeoutSeconds) ?? 10 },
      reviewRequest(a, uid),
    );
  } catch (e) {
    if (e instanceof WebhookCallError)
      throw new CallingWebhookError(name, `failed to call webhook: ${e.message}`);
    throw e;
  }
  try {
    return verifyResponse(review, uid, mutating);
  } catch (e) {
    throw new CallingWebhookError(name, `received invalid webhook response: ${(e as Error).message}`);
  }
}

function ordered(
  host: AdmissionHost,
  resource: 'mutatingwebhookconfigurations' | 'validatingwebhookconfigurations',
): JsonObject[] {
  return host.webhookConfigurations(resource).flatMap((c) => (arr(c.webhooks) ?? []).filter(isObject));
}

function failOpen(hook: JsonObject): boolean {
  return hook.failurePolicy === 'Ignore';
}

/** One webhook call with its failure policy; returns true when it changed the object. */
async function invokeMutating(hook: JsonObject, a: AdmissionAttributes): Promise<boolean> {
  const name = str(hook.name) ?? '';
  let response: JsonObject;
  try {
    response = await call(hook, a, true);
  } catch (e) {
    if (e instanceof CallingWebhookError) {
      if (failOpen(hook)) return false;
      throw errors.internal(e.message);
    }
    throw e;
  }
  if (response.allowed !== true) throw denial(name, obj(response.status));
  const patch = str(response.patch) ?? '';
  if (patch === '') return false;
  let ops: Json;
  try {
    ops = JSON.parse(Buffer.from(patch, 'base64').toString()) as Json;
  } catch (e) {
    const err = new CallingWebhookError(
      name,
      `received undecodable patch in webhook response: ${(e as Error).message}`,
    );
    if (failOpen(hook)) return false;
    throw errors.internal(err.message);
  }
  if (a.object === null) {
    throw errors.internal(
      `admission webhook ${JSON.stringify(name)} attempted to modify the object, which is not supported for this operation`,
    );
  }
  let patched: Json;
  try {
    patched = applyJsonPatch(a.object, ops);
  } catch (e) {
    const causes = e instanceof KubeError ? (e.details?.causes ?? []) : [];
    throw errors.internal(causes[0]?.message ?? (e as Error).message);
  }
  if (!isObject(patched)) throw errors.internal('the patched object is not an object');
  const changed = !deepEqual(patched, a.object);
  a.object = patched;
  return changed;
}

/**
 * MutatingAdmissionWebhook: matching webhooks in configuration-name order, each patch applied
 * before the next call; with reinvocationPolicy IfNeeded a webhook runs once more when a later
 * webhook changed the object after it.
 */
export async function runMutatingWebhooks(host: AdmissionHost, a: AdmissionAttributes): Promise<void> {
  const hooks = ordered(host, 'mutatingwebhookconfigurations').filter((h) => shouldCall(h, a, host));
  const changedAfter = new Set<JsonObject>();
  for (const hook of hooks) {
    const changed = await invokeMutating(hook, a);
    if (changed) for (const earlier of hooks.slice(0, hooks.indexOf(hook))) changedAfter.add(earlier);
  }
  const again = hooks.filter((h) => h.reinvocationPolicy === 'IfNeeded' && changedAfter.has(h));
  for (const hook of again) await invokeMutating(hook, a);
}

/** ValidatingAdmissionWebhook: all matching webhooks in parallel; the first failure in order wins. */
export async function runValidatingWebhooks(host: AdmissionHost, a: AdmissionAttributes): Promise<void> {
  const hooks = ordered(host, 'validatingwebhookconfigurations').filter((h) => shouldCall(h, a, host));
  const outcomes = await Promise.all(
    hooks.map(async (hook): Promise<KubeError | undefined> => {
      try {
        const response = await call(hook, a, false);
        return response.allowed === true ? undefined : denial(str(hook.name) ?? '', obj(response.status));
      } catch (e) {
        if (e instanceof CallingWebhookError) return failOpen(hook) ? undefined : errors.internal(e.message);
        throw e;
      }
    }),
  );
  const failure = outcomes.find((o) => o !== undefined);
  if (failure !== undefined) throw failure;
}
