/**
 * HTTP requests and responses in the RPC shape the host exchanges with the Node.js worker: the
 * request as `RpcHttpData` (method, full URL, headers, query as a dictionary whose repeated values
 * are comma-joined like ASP.NET's `StringValues`, route params, raw body bytes), and the
 * library's `RpcHttpData` response (status, headers, cookies, body) written back to the client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcHttpCookie, RpcHttpData, RpcTypedData } from './core-types.js';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function headerMap(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function queryMap(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  return query;
}

export function toRpcHttpRequest(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  params: Record<string, string>,
): RpcTypedData {
  const http: RpcHttpData = {
    method: req.method ?? 'GET',
    url: url.toString(),
    headers: headerMap(req),
    query: queryMap(url),
    params,
    body: body.length > 0 ? { bytes: body } : null,
  };
  return { http };
}

function cookieHeader(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const expires = cookie.expires?.value;
  if (expires?.seconds !== undefined && expires.seconds !== null) {
    parts.push(`Expires=${new Date(Number(expires.seconds) * 1000).toUTCString()}`);
  }
  if (cookie.maxAge?.value !== undefined && cookie.maxAge.value !== null)
    parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined }[
    cookie.sameSite ?? 'none'
  ];
  if (sameSite !== undefined) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}

function bodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (body?.bytes) return Buffer.from(body.bytes);
  if (body?.string) return Buffer.from(body.string, 'utf8');
  return Buffer.alloc(0);
}

/**
 * Writes the function's HTTP result. No result at all is a 200 with an empty body, as the host's
 * FunctionInvocationMiddleware answers when the function set no response.
 */
export function writeRpcHttpResponse(
  res: ServerResponse,
  returnValue: RpcTypedData | null | undefined,
): void {
  const http = returnValue?.http;
  if (http === undefined || http === null) {
    res.writeHead(200, { 'content-length': '0' }).end();
    return;
  }
  const status = Number(http.statusCode ?? '200');
  const headers: Record<string, string | string[]> = { ...(http.headers ?? {}) };
  const cookies = (http.cookies ?? []).map(cookieHeader);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = bodyBytes(http.body);
  const noBody = status === 204 || status === 304 || res.req.method === 'HEAD';
  if (!noBody) headers['content-length'] = String(body.length);
  res.writeHead(Number.isInteger(status) ? status : 500, headers);
  res.end(noBody ? undefined : body);
}
