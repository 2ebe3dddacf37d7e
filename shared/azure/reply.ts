/**
 * ARM replies as REST JSON. Typed calls hand their raw response to `onResponse`; the body is read
 * from `bodyAsText`, never from `parsedBody`: the classic (core-client) clients overwrite
 * `parsedBody` with the deserialized, flattened SDK model (core-client's deserializationPolicy),
 * while the modular clients leave it raw. The text is what ARM sent, for both (ADR 0070).
 */
import type { ArmResource } from '../targets/arm-body.js';
import type { ArmRest } from './arm-rest.js';
import type { WriteStarted } from './ports.js';

export interface HeaderLookup {
  get(name: string): string | null | undefined;
}

/** One ARM response: status, headers and the JSON body (undefined when empty or not JSON). */
export interface Reply {
  readonly status: number;
  readonly headers: HeaderLookup;
  readonly body: unknown;
}

/** The part of the raw response both SDK generations pass to `onResponse`. */
export interface SdkRawResponse {
  readonly status: number;
  readonly headers: HeaderLookup;
  readonly bodyAsText?: string | null;
}

export type OnResponse = (raw: SdkRawResponse) => void;

export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function toReply(raw: SdkRawResponse): Reply {
  return { status: raw.status, headers: raw.headers, body: parseJson(raw.bodyAsText) };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The body as a resource, or undefined when ARM returned none (204, an empty 202). */
export function resourceOf(body: unknown): ArmResource | undefined {
  return isObject(body) ? body : undefined;
}

/** `value` of a list page, and its `nextLink`. */
export function pageOf(body: unknown): { items: unknown[]; nextLink: string | undefined } {
  if (!isObject(body)) return { items: [], nextLink: undefined };
  const value = body['value'];
  const next = body['nextLink'];
  return {
    items: Array.isArray(value) ? (value as unknown[]) : [],
    nextLink: typeof next === 'string' && next !== '' ? next : undefined,
  };
}

const terminalStates = new Set(['succeeded', 'failed', 'canceled', 'cancelled']);

/**
 * Whether a write is still running, from the first response only (ARM's async contract): 202, an
 * `Azure-AsyncOperation` header, or a body whose `provisioningState` is not terminal. A 201 with a
 * `Location` header and no body is also long-running.
 */
export function writeStarted(reply: Reply): WriteStarted {
  const body = resourceOf(reply.body);
  const state = body?.properties?.['provisioningState'];
  const running =
    reply.status === 202 ||
    Boolean(reply.headers.get('azure-asyncoperation')) ||
    (reply.status === 201 && body === undefined && Boolean(reply.headers.get('location'))) ||
    (typeof state === 'string' && !terminalStates.has(state.toLowerCase()));
  const started: WriteStarted = running ? { state: 'accepted' } : { state: 'done' };
  return body === undefined ? started : { ...started, body };
}

/** A GET by REST for types no typed client covers: the resource, or undefined when it is gone. */
export async function readByRest(
  rest: ArmRest,
  path: string,
  apiVersion: string,
): Promise<ArmResource | undefined> {
  const reply = await rest.send({ method: 'GET', path, apiVersion, allowNotFound: true });
  return reply.status === 404 ? undefined : resourceOf(reply.body);
}
