/**
 * The Event Grid extension's webhook, `/runtime/webhooks/eventgrid?functionName=<name>`, behaving
 * like Microsoft.Azure.WebJobs.Extensions.EventGrid (`HttpRequestProcessor`,
 * `EventGridExtensionConfigProvider`): the caller needs the `eventgrid_extension` system key or
 * the master key (401); an unknown function is a 404; OPTIONS answers the CloudEvents
 * abuse-protection handshake; `aeg-event-type: SubscriptionValidation` answers 200
 * `{"validationResponse": code}`; `Notification` splits the body (an array, or one object such as
 * a CloudEvents `application/cloudevents+json` event) into one invocation per event, all in
 * parallel, then answers 202 if every invocation succeeded and 500 if any failed (Event Grid then
 * redelivers the whole batch); `Unsubscribe` is a 202; anything else a 400.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredFunction } from './core-api.js';
import type { TriggerInput } from './invoke.js';

export const eventGridWebhookPath = '/runtime/webhooks/eventgrid';

const knownOrigins = new Set([
  'eventgrid.azure.net',
  'eventgrid.azure.us',
  'eventgrid.azure.eaglex.ic.gov',
  'eventgrid.azure.microsoft.scloud',
  'eventgrid.azure.cn',
]);

export interface EventGridDeps {
  /** Functions with an eventGridTrigger, by exact name (the extension's listener table). */
  readonly functions: ReadonlyMap<string, RegisteredFunction>;
  readonly invoke: (fn: RegisteredFunction, input: TriggerInput) => Promise<unknown>;
}

function send(
  res: ServerResponse,
  status: number,
  body = '',
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function validationCode(payload: unknown): string | undefined {
  const first: unknown = Array.isArray(payload) ? payload[0] : payload;
  let data = (first as { data?: unknown } | undefined)?.data;
  // CloudEvents-shaped validation events carry their data double-encoded.
  if (typeof data === 'string') data = parseJson(Buffer.from(data));
  const code = (data as { validationCode?: unknown } | undefined)?.validationCode;
  if (typeof code === 'string') return code;
  return code === undefined || code === null ? undefined : JSON.stringify(code);
}

function eventInput(event: unknown): TriggerInput {
  const data = (event as { data?: unknown } | null)?.data ?? null;
  return {
    reason: `EventGrid trigger fired at ${new Date().toISOString()}`,
    data: { string: JSON.stringify(event) },
    triggerMetadata: {
      data: { json: JSON.stringify(data) },
      sys: { json: JSON.stringify({ UtcNow: new Date().toISOString(), RandGuid: randomUUID() }) },
    },
  };
}

async function dispatch(res: ServerResponse, fn: RegisteredFunction, body: Buffer, deps: EventGridDeps) {
  const payload = parseJson(body);
  if (typeof payload !== 'object' || payload === null) {
    send(res, 400, 'The request content should be parseable into a JSON object or array.');
    return;
  }
  const events: unknown[] = Array.isArray(payload) ? payload : [payload];
  const results = await Promise.allSettled(events.map((event) => deps.invoke(fn, eventInput(event))));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure === undefined) send(res, 202);
  else
    send(res, 500, failure.reason instanceof Error ? failure.reason.message : 'Function invocation failed');
}

export async function handleEventGridWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  deps: EventGridDeps,
): Promise<void> {
  const functionName = url.searchParams.get('functionName') ?? '';
  const fn = deps.functions.get(functionName);
  if (fn === undefined) {
    send(res, 404, `cannot find function: '${functionName}'`);
    return;
  }
  if (req.method === 'OPTIONS') {
    const origin = String(req.headers['webhook-request-origin'] ?? '').toLowerCase();
    res.writeHead(200, {
      'webhook-allowed-origin': knownOrigins.has(origin) ? origin : 'eventgrid.azure.net',
      'content-length': '0',
    });
    res.end();
    return;
  }
  const eventType = String(req.headers['aeg-event-type'] ?? '').toLowerCase();
  if (eventType === 'subscriptionvalidation') {
    const code = validationCode(parseJson(body));
    if (code === undefined) send(res, 400, 'The validation event has no data.validationCode.');
    else send(res, 200, JSON.stringify({ validationResponse: code }));
  } else if (eventType === 'notification') {
    await dispatch(res, fn, body, deps);
  } else if (eventType === 'unsubscribe') {
    send(res, 202);
  } else {
    send(res, 400);
  }
}
