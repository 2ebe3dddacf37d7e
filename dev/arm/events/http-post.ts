/** A minimal HTTP(S) client for event delivery (trusts the system roots plus an extra CA). */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface PostResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export async function send(
  method: 'POST' | 'OPTIONS',
  url: string,
  options: { body?: string; headers?: Record<string, string>; caPem?: string; timeoutMs: number },
): Promise<PostResult> {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  const request = isHttps ? https.request : http.request;
  return await new Promise<PostResult>((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        headers: {
          ...options.headers,
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
        },
        timeout: options.timeoutMs,
        ...(isHttps && options.caPem !== undefined
          ? { ca: [...tls.getCACertificates('default'), options.caPem] }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no response from ${target.origin} within ${options.timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
