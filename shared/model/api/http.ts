/**
 * The HTTP edge of the API core, independent of the Functions library: the request is anything
 * shaped like `HttpRequest`, the response a plain `HttpResponseInit`-compatible object. Here live
 * the rules every route shares: api-version, body limits and parsing, and the base URL of the
 * operation status links.
 */
import { apiErrors, supportedApiVersion } from '../arm-error.js';
import { operationStatusPath } from '../operation.js';

export interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string | undefined>>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly jsonBody?: unknown;
}

/** ARM's request size limit; larger bodies get 413. */
export const maxBodyBytes = 1024 * 1024;

/** Seconds a client should wait before polling an operation again. */
export const retryAfterSeconds = 5;

export function respond(
  status: number,
  jsonBody?: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return jsonBody === undefined ? { status, headers } : { status, headers, jsonBody };
}

/** `api-version=2024-04-01` is required on every route, as ARM requires it. */
export function requireApiVersion(query: URLSearchParams): void {
  const given = query.get('api-version');
  if (given === null || given.trim() === '') throw apiErrors.missingApiVersion();
  if (given !== supportedApiVersion) throw apiErrors.invalidApiVersion(given);
}

/**
 * The body as JSON. Never echoes the body back: a parser message could quote part of it, and the
 * body may hold a secret.
 */
export async function readJsonBody(request: ApiRequest): Promise<unknown> {
  const contentType = request.headers.get('content-type');
  if (
    contentType !== null &&
    contentType.trim() !== '' &&
    !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)
  ) {
    throw apiErrors.unsupportedMediaType(contentType);
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBodyBytes) throw apiErrors.tooLarge(maxBodyBytes);
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > maxBodyBytes) throw apiErrors.tooLarge(maxBodyBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw apiErrors.invalidRequestContent('the body is not UTF-8 text.');
  }
  if (text.trim() === '') throw apiErrors.invalidRequestContent('the body is empty.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw apiErrors.invalidRequestContent('the body is not valid JSON.');
  }
}

/** CONNECTOR_PUBLIC_BASE_URL when set, else the origin the request came to. */
export function baseUrl(publicBaseUrl: string | undefined, requestUrl: string): string {
  return publicBaseUrl ?? new URL(requestUrl).origin;
}

/** The Azure-AsyncOperation URL of an operation (the host's default route prefix is `api`). */
export function operationUrl(base: string, operationId: string): string {
  return `${base}/api${operationStatusPath}/${operationId}?api-version=${supportedApiVersion}`;
}
