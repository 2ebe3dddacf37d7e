/**
 * Calls the real HTTP functions the way the host does: a real `HttpRequest` whose route values are
 * extracted by the local host's own route-template matcher, a real `InvocationContext` whose log
 * lines are captured, and Azurite behind the store.
 */
import { randomUUID } from 'node:crypto';
import functions, { type HttpResponseInit } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { matchRoute, parseRouteTemplate } from '../../dev/functions-host/routes.js';
import { connectionTemplates } from '../../functions/connection-templates.js';
import { connectionTemplateList } from '../../functions/connection-template-list.js';
import { linkerList } from '../../functions/linker-list.js';
import { linkers } from '../../functions/linkers.js';
import { operationStatus } from '../../functions/operation-status.js';
import { apiRoutes } from '../../shared/model/api/routes.js';
import { reconcileQueueName } from '../../shared/store/work-queue.js';
import { subscriptionId } from '../model/linker-fixtures.js';

export type Handler = (
  request: functions.HttpRequest,
  context: functions.InvocationContext,
) => Promise<HttpResponseInit>;

const table: { name: string; template: ReturnType<typeof parseRouteTemplate>; handler: Handler }[] = [
  { name: 'linkers', template: parseRouteTemplate(apiRoutes.linker), handler: linkers },
  { name: 'linkerList', template: parseRouteTemplate(apiRoutes.linkerList), handler: linkerList },
  {
    name: 'connectionTemplates',
    template: parseRouteTemplate(apiRoutes.template),
    handler: connectionTemplates,
  },
  {
    name: 'connectionTemplateList',
    template: parseRouteTemplate(apiRoutes.templateList),
    handler: connectionTemplateList,
  },
  {
    name: 'operationStatus',
    template: parseRouteTemplate(apiRoutes.operationStatus),
    handler: operationStatus,
  },
];

export const apiVersion = 'api-version=2024-04-01';
export const cluster = `/subscriptions/${subscriptionId}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1`;
export const linkersPath = `/api${cluster}/providers/Microsoft.ServiceLinker/linkers`;

export interface Sent {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export const logLines: string[] = [];

/** Sends a request to the function whose route matches `pathAndQuery` (which starts with /api/). */
export async function send(
  method: string,
  pathAndQuery: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  handlerFor: (name: string, fallback: Handler) => Handler = (_n, h) => h,
): Promise<Sent> {
  const url = new URL(`http://localhost:7071${pathAndQuery}`);
  const segments = url.pathname.replace(/^\/api\//, '').split('/');
  const match = table
    .map((entry) => ({ entry, params: matchRoute(entry.template, segments) }))
    .find((m) => m.params !== undefined);
  if (match === undefined) return { status: 404, headers: new Headers(), body: undefined };
  const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const request = new functions.HttpRequest({
    method,
    url: url.toString(),
    headers: { ...(text === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(text === undefined ? {} : { body: { string: text } }),
    params: match.params ?? {},
  });
  const context = new functions.InvocationContext({
    invocationId: randomUUID(),
    functionName: match.entry.name,
    logHandler: (level, ...args) =>
      logLines.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
  });
  const response = await handlerFor(match.entry.name, match.entry.handler)(request, context);
  return {
    status: response.status ?? 200,
    headers: new Headers(response.headers),
    body: response.jsonBody as unknown,
  };
}

/** The work items waiting on the reconcile queue (peeked, so they stay). */
export async function queuedWorkItems(connectionString: string): Promise<unknown[]> {
  const queue = new QueueClient(connectionString, reconcileQueueName);
  if (!(await queue.exists())) return [];
  const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
  return peekedMessageItems.map(
    (m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as unknown,
  );
}

/** The operation id at the end of an Azure-AsyncOperation URL. */
export function operationPathOf(sent: Sent): string {
  const url = new URL(sent.headers.get('azure-asyncoperation') ?? 'http://x/none');
  return `${url.pathname}${url.search}`;
}
