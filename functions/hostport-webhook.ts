/**
 * HTTP trigger: the mutating admission webhook that assigns host ports (ADR 0041, 0042).
 * POST /api/hostports/admission/{clusterRef}/{token}, anonymous at the Functions level: the
 * per-cluster token in the path is the credential (a webhook URL cannot carry `?code=`).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handleHostPortReview, type HostPortWebhookDeps } from '../shared/hostports/admission.js';
import { createHostPortAllocator, type HostPortAllocator } from '../shared/hostports/allocator.js';
import { webhookRoute } from '../shared/hostports/webhook-auth.js';
import { currentSettings, lazy } from '../shared/runtime/lazy.js';
import { createLogger } from '../shared/runtime/logger.js';
import { createHostPortStore } from '../shared/store/hostport-allocations.js';
import { createRegistrationStore } from '../shared/store/hostport-registrations.js';

export type WebhookServices = Omit<HostPortWebhookDeps, 'logger'>;

/** Built on first use only: pods without the annotation are answered without touching settings or storage. */
const services = lazy((): WebhookServices => {
  const settings = currentSettings();
  const registrations = createRegistrationStore(settings.storage);
  // One allocator per process: its block view is a per-process hint shared by concurrent calls.
  const allocator: HostPortAllocator = createHostPortAllocator(createHostPortStore(settings.storage));
  return { verify: (ref, token) => registrations.verify(ref, token), allocator };
});

function deferred(get: () => WebhookServices): WebhookServices {
  return {
    verify: (ref, token) => get().verify(ref, token),
    allocator: {
      get layout() {
        return get().allocator.layout;
      },
      allocate: (request) => get().allocator.allocate(request),
      release: (partition, leaseId, etag) => get().allocator.release(partition, leaseId, etag),
    },
  };
}

export function createHostPortWebhookHandler(
  get: () => WebhookServices,
): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  const deps = deferred(get);
  return async (request, context) => {
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return {
        status: 400,
        jsonBody: { error: { code: 'MalformedAdmissionReview', message: 'the body is not JSON' } },
      };
    }
    // The token is a credential: it goes to the core, never to a log line.
    const route = { clusterRef: request.params['clusterRef'] ?? '', token: request.params['token'] ?? '' };
    const logger = createLogger(context, { function: 'hostPortWebhook' });
    const outcome = await handleHostPortReview(body, route, { ...deps, logger });
    return outcome.status === 200
      ? { status: 200, jsonBody: outcome.review }
      : { status: 400, jsonBody: { error: outcome.error } };
  };
}

export const hostPortWebhook = createHostPortWebhookHandler(services);

app.http('hostPortWebhook', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: webhookRoute,
  handler: hostPortWebhook,
});
