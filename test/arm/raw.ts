/** Raw HTTPS to the emulator, for requests an SDK client would never send (no token, no api-version). */
import https from 'node:https';
import type { ArmEmulator } from '../../dev/arm/index.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

export async function raw(
  emulator: ArmEmulator,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<RawResponse> {
  const token =
    options.token === undefined
      ? (await emulator.credential().getToken('https://management.azure.com/.default'))?.token
      : options.token;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return await new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, emulator.endpoint),
      {
        method,
        ca: emulator.caPem,
        headers: {
          ...(token === null || token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: (text === '' ? {} : JSON.parse(text)) as RawResponse['body'],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
