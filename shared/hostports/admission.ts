/**
 * The host-port admission webhook's core (the trigger in functions/hostport-webhook.ts only moves
 * bytes). Order matters for cost and safety:
 *
 * 1. not a pod CREATE, no annotation, or already handled by us → allowed, no patch, no store access;
 * 2. a bad annotation → denied (400) before any store access;
 * 3. a dry run → allowed without a patch (sideEffects: NoneOnDryRun; ADR 0042);
 * 4. authenticate the URL's token for its clusterRef → else denied (403);
 * 5. allocate in that cluster's partition, mutate a copy, diff it into the patch.
 */
import { isRetryable, isTerminal } from '../errors/index.js';
import type { Logger } from '../runtime/logger.js';
import { diffJsonPatch } from '../util/json-patch.js';
import {
  allowed,
  denied,
  isPodCreate,
  parseAdmissionReview,
  patched,
  podOf,
  MalformedAdmissionReview,
  type AdmissionRequest,
  type AdmissionReviewResponse,
} from './admission-review.js';
import type { HostPortAllocator } from './allocator.js';
import { parseHostPortAnnotation } from './annotation.js';
import { assignHostPorts, isAlreadyAssigned } from './mutator.js';
import { assignHostPortsAnnotation, type HostPortRequest, type Pod } from './types.js';
import { isClusterRef, isWebhookTokenShape } from './webhook-auth.js';

export interface HostPortWebhookDeps {
  /** The registration this clusterRef + token authenticate (the store compares in constant time). */
  readonly verify: (ref: string, token: string) => Promise<{ readonly clusterId: string } | undefined>;
  readonly allocator: HostPortAllocator;
  readonly logger: Logger;
}

export interface WebhookRoute {
  readonly clusterRef: string;
  readonly token: string;
}

export type WebhookOutcome =
  | { readonly status: 200; readonly review: AdmissionReviewResponse }
  | { readonly status: 400; readonly error: { readonly code: string; readonly message: string } };

/** Named pods keep their lease across retried creations; generateName pods have no name yet at admission. */
export function leaseFor(
  request: AdmissionRequest,
  pod: Pod,
  namespace: string,
): { leaseId: string; podName: string | undefined } {
  const name = request.name !== undefined && request.name !== '' ? request.name : pod.metadata?.name;
  return name !== undefined && name !== ''
    ? { leaseId: `${namespace}/${name}`, podName: name }
    : { leaseId: `${namespace}/~${request.uid}`, podName: undefined };
}

function denyFor(
  uid: string,
  error: unknown,
  logger: Logger,
  fields: Record<string, unknown>,
): AdmissionReviewResponse {
  if (isTerminal(error) && error.reason === 'HostPortRangeExhausted') {
    logger.warn('host-port range exhausted', { ...fields, error });
    return denied(uid, {
      code: 403,
      reason: 'Forbidden',
      message: `${error.message}. ${error.mitigation ?? ''}`.trim(),
    });
  }
  if (isRetryable(error)) {
    logger.warn('host-port allocation failed, retryable', { ...fields, error });
    return denied(uid, {
      code: 503,
      reason: 'ServiceUnavailable',
      message: `host ports could not be assigned now (${error.reason}): ${error.message}; the pod's controller retries, or create the pod again`,
    });
  }
  logger.error('host-port allocation failed', { ...fields, error });
  const message = error instanceof Error ? error.message : String(error);
  return denied(uid, {
    code: 500,
    reason: 'InternalError',
    message: `host ports could not be assigned: ${message}`,
  });
}

async function admit(
  request: AdmissionRequest,
  route: WebhookRoute,
  deps: HostPortWebhookDeps,
): Promise<AdmissionReviewResponse> {
  const { uid } = request;
  if (!isPodCreate(request)) return allowed(uid);
  const pod = podOf(request);
  const value = pod.metadata?.annotations?.[assignHostPortsAnnotation];
  if (value === undefined || isAlreadyAssigned(pod)) return allowed(uid);

  let requests: HostPortRequest[];
  try {
    requests = parseHostPortAnnotation(value, pod);
  } catch (error) {
    if (!isTerminal(error)) throw error;
    deps.logger.info('host-port annotation refused', { reason: error.reason, clusterRef: route.clusterRef });
    return denied(uid, { code: 400, reason: 'BadRequest', message: error.message });
  }
  if (request.dryRun === true) {
    return allowed(uid, ['dry run: host ports are assigned when the pod is created for real']);
  }

  const namespace = request.namespace ?? pod.metadata?.namespace;
  if (namespace === undefined || namespace === '')
    throw new MalformedAdmissionReview('request.namespace is missing');
  const { leaseId, podName } = leaseFor(request, pod, namespace);
  const fields = { clusterRef: route.clusterRef, leaseId };
  try {
    const authentic =
      isClusterRef(route.clusterRef) && isWebhookTokenShape(route.token)
        ? await deps.verify(route.clusterRef, route.token)
        : undefined;
    if (authentic === undefined) {
      deps.logger.warn('host-port webhook call not authenticated', fields);
      return denied(uid, {
        code: 403,
        reason: 'Forbidden',
        // Only a well-formed reference is echoed: the path segment is whatever the caller sent.
        message: `the host-port webhook URL is not registered for ${isClusterRef(route.clusterRef) ? `cluster reference '${route.clusterRef}'` : 'its (malformed) cluster reference'} (unknown cluster or a revoked token): the connector re-registers the webhook on its next reconcile of the cluster`,
      });
    }
    // The partition is the authenticated clusterRef: a token can only ever allocate in its own cluster.
    const allocation = await deps.allocator.allocate({
      partition: route.clusterRef,
      leaseId,
      namespace,
      podName,
      requests,
    });
    const mutation = assignHostPorts(pod, { leaseId, ports: allocation.ports });
    deps.logger.info('host ports assigned', {
      ...fields,
      clusterId: authentic.clusterId,
      outcome: allocation.outcome,
      ports: allocation.ports.map((p) => `${p.containerPort}/${p.protocol}=${p.hostPort}`),
      storeCalls: allocation.storeCalls,
    });
    return patched(uid, diffJsonPatch(pod, mutation.pod), mutation.warnings);
  } catch (error) {
    return denyFor(uid, error, deps.logger, fields);
  }
}

/** Answers one webhook call: an AdmissionReview for any well-formed review, HTTP 400 otherwise. */
export async function handleHostPortReview(
  body: unknown,
  route: WebhookRoute,
  deps: HostPortWebhookDeps,
): Promise<WebhookOutcome> {
  try {
    const request = parseAdmissionReview(body);
    return { status: 200, review: await admit(request, route, deps) };
  } catch (error) {
    if (error instanceof MalformedAdmissionReview) {
      return { status: 400, error: { code: 'MalformedAdmissionReview', message: error.message } };
    }
    throw error;
  }
}
