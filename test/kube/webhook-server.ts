import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LocalCa } from '../../dev/tls/local-ca.js';

export interface ReceivedReview {
  readonly path: string;
  readonly query: string;
  readonly review: Record<string, unknown>;
}

export type ReviewHandler = (
  request: Record<string, unknown>,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** An HTTPS admission webhook for tests: routes by path, records every AdmissionReview it gets. */
export class TestWebhookServer {
  readonly received: ReceivedReview[] = [];
  private readonly routes = new Map<string, ReviewHandler>();
  private server: https.Server | undefined;
  url = '';

  route(path: string, handler: ReviewHandler): void {
    this.routes.set(path, handler);
  }

  async start(ca: LocalCa): Promise<void> {
    const cert = await ca.issueServerCertificate(['127.0.0.1']);
    this.server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://127.0.0.1');
        const review = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
        this.received.push({ path: url.pathname, query: url.search, review });
        const handler = this.routes.get(url.pathname);
        const request = (review.request ?? {}) as Record<string, unknown>;
        void Promise.resolve(
          handler === undefined ? { uid: request.uid, allowed: true } : handler(request),
        ).then((response) => {
          if (res.destroyed) return;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
        });
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reviewsAt(path: string): Record<string, unknown>[] {
    return this.received
      .filter((r) => r.path === path)
      .map((r) => (r.review.request ?? {}) as Record<string, unknown>);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function jsonPatch(ops: object[]): { patchType: 'JSONPatch'; patch: string } {
  return { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') };
}
