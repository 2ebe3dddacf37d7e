import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCa, type LocalCa } from '../../dev/tls/local-ca.js';
import { quietTimers, startTestHost, type TestHost } from './helpers.js';

let ca: LocalCa;
let host: TestHost;
beforeAll(async () => {
  ca = await createLocalCa('host test CA');
  const certificate = await ca.issueServerCertificate(['localhost', '127.0.0.1']);
  host = await startTestHost('http-app', quietTimers, { https: certificate });
});
afterAll(async () => {
  await host?.stop();
});

function get(url: string, caPem: string): Promise<{ status: number | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: caPem }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

describe('HTTPS on the local host', () => {
  it('serves the same functions on a second port with the given certificate', async () => {
    expect(host.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(host.httpsUrl).not.toBe(host.url.replace('http:', 'https:'));
    const response = await get(`${host.httpsUrl}/api/echo/3`, ca.certPem);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      function: 'echo',
      url: `${host.httpsUrl}/api/echo/3`,
      params: { id: '3' },
    });
  });

  it('is refused by a client that does not trust the CA', async () => {
    const other = await createLocalCa('someone else');
    await expect(get(`${host.httpsUrl}/api/echo/3`, other.certPem)).rejects.toThrow(
      /certificate|self-signed|verify/i,
    );
  });
});
