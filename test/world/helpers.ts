/** Small clients for the world tests: HTTPS with an explicit trust store, and "is it gone" checks. */
import { stat } from 'node:fs/promises';
import https from 'node:https';
import { connect } from 'node:net';

/** GET over HTTPS trusting exactly `ca` (so a test can also show which CA is needed). */
export function httpsGet(url: string, ca: string | string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Whether something accepts TCP connections at the URL's host and port. */
export function listening(url: string): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || (protocol === 'https:' ? 443 : 80)) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Permission bits of a file, e.g. 0o600. */
export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}
