import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type KubeError } from '../api/status.js';
import type { Json } from '../core/json.js';

/** The API server's default MaxRequestBodyBytes (3 MiB). */
const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > maxBodyBytes) throw errors.tooLarge(`Request entity too large: limit is ${maxBodyBytes}`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString();
}

export function parseJsonBody(text: string): Json | undefined {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw errors.badRequest(`json: cannot unmarshal request body: ${(e as Error).message}`);
  }
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: Json,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: KubeError): void {
  sendJson(res, err.code, err.toStatus(), err.headers);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
