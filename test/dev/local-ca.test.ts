import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLocalCa, trustCaInThisProcess } from '../../dev/tls/local-ca.js';

async function get(url: string, ca?: string): Promise<{ status: number | undefined; body: string }> {
  return await new Promise((resolve, reject) => {
    const req = https.get(url, ca === undefined ? {} : { ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
  });
}

describe('local CA', () => {
  it('issues a server certificate that a client trusting the CA accepts and others refuse', async () => {
    const ca = await createLocalCa('test CA');
    const cert = await ca.issueServerCertificate(['localhost', '127.0.0.1']);
    const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) =>
      res.end('hello'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      await expect(get(`https://127.0.0.1:${port}/`)).rejects.toThrow(/self-signed|unable to verify|issuer/i);
      expect(await get(`https://127.0.0.1:${port}/`, ca.certPem)).toEqual({ status: 200, body: 'hello' });
      trustCaInThisProcess(ca.certPem);
      expect(await get(`https://localhost:${port}/`)).toEqual({ status: 200, body: 'hello' });
    } finally {
      server.close();
    }
  });
});
