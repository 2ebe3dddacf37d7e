/**
 * REST requests to ARM for the writes a typed client cannot express faithfully (ADR 0072): the same
 * @azure/core-rest-pipeline pipeline the SDK clients build (bearer token policy for the ARM scope,
 * the capped retry policy, user agent, request ids, redirects, logging), sending JSON we hold in
 * REST shape as is. Only paths on the configured endpoint are ever sent the token.
 */
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { TerminalError } from '../errors/index.js';
import { classifySdkError, failureOfReply } from './failures.js';
import { parseJson, type Reply } from './reply.js';
import { capRetries, type ArmRetryOptions } from './retry-policy.js';

export interface ArmRestRequest {
  readonly method: HttpMethods;
  /** An ARM path (`/subscriptions/...`), without the query string. */
  readonly path: string;
  readonly apiVersion: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Return a 404 reply instead of throwing (deletes and reads that treat it as absence). */
  readonly allowNotFound?: boolean;
}

export interface ArmRest {
  send(request: ArmRestRequest): Promise<Reply>;
  /** A `nextLink` (absolute URL with its own query) with GET, or POST for paged actions. */
  follow(url: string, method: 'GET' | 'POST', target: string): Promise<Reply>;
  /** The pipeline, for tests that check its policies. */
  readonly pipeline: Pipeline;
}

export const userAgentPrefix = 'connector-functions';

export function createArmRest(options: {
  readonly endpoint: string;
  readonly credential: TokenCredential;
  readonly retry?: ArmRetryOptions;
}): ArmRest {
  const endpoint = new URL(options.endpoint);
  const base = endpoint.origin + endpoint.pathname.replace(/\/+$/, '');
  const pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix } });
  pipeline.addPolicy(
    bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: `${base}/.default` }),
  );
  capRetries(pipeline, options.retry);
  let httpClient: HttpClient | undefined;

  const sendUrl = async (
    url: string,
    method: HttpMethods,
    target: string,
    init: Pick<ArmRestRequest, 'body' | 'headers' | 'allowNotFound'> = {},
  ): Promise<Reply> => {
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      }),
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    httpClient ??= createDefaultHttpClient();
    let reply: Reply;
    try {
      const response = await pipeline.sendRequest(httpClient, request);
      reply = { status: response.status, headers: response.headers, body: parseJson(response.bodyAsText) };
    } catch (error) {
      throw classifySdkError(error, target);
    }
    if (reply.status === 404 && init.allowNotFound === true) return reply;
    if (reply.status >= 400) throw failureOfReply(reply, target);
    return reply;
  };

  return {
    pipeline,
    send: (request) =>
      sendUrl(
        `${base}${encodeURI(request.path)}?api-version=${encodeURIComponent(request.apiVersion)}`,
        request.method,
        request.path,
        request,
      ),
    follow: async (url, method, target) => {
      const parsed = new URL(url, base);
      if (parsed.origin !== endpoint.origin) {
        throw new TerminalError(`ARM returned a next page link outside ${endpoint.origin}.`, {
          reason: 'UnexpectedNextLink',
          target,
        });
      }
      return await sendUrl(parsed.toString(), method, target);
    },
  };
}
