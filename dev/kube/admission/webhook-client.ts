import https from 'node:https';
import { isObject, type JsonObject } from '../core/json.js';

/**
 * The API server's webhook REST client, reduced to what admission needs: POST an AdmissionReview
 * over HTTPS to `clientConfig.url` with `?timeout=<n>s` appended, verify the server certificate
 * against `caBundle` (system roots when absent) and report failures in the words of Go's
 * net/http and crypto/tls, which is what ends up in the API server's error messages.
 */
export class WebhookCallError extends Error {}

export interface WebhookTarget {
  readonly url: string;
  readonly caBundle?: string;
  readonly timeoutSeconds: number;
}

function goTransportMessage(err: NodeJS.ErrnoException, url: URL): string {
  const hostPort = `${url.hostname}:${url.port === '' ? '443' : url.port}`;
  switch (err.code ?? '') {
    case 'ECONNREFUSED':
      return `dial tcp ${hostPort}: connect: connection refused`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'ECONNRESET':
      return 'read: connection reset by peer';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is not valid for ${url.hostname}`;
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default:
      return err.message;
  }
}

export async function postAdmissionReview(target: WebhookTarget, review: JsonObject): Promise<JsonObject> {
  const url = new URL(target.url);
  url.searchParams.set('timeout', `${target.timeoutSeconds}s`);
  const shown = url.toString();
  const body = JSON.stringify(review);
  const ca =
    target.caBundle === undefined || target.caBundle === ''
      ? undefined
      : Buffer.from(target.caBundle, 'base64').toString();
  return await new Promise<JsonObject>((resolve, reject) => {
    const fail = (detail: string): void => reject(new WebhookCallError(`Post "${shown}": ${detail}`));
    const req = https.request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, */*',
          'User-Agent': 'kube-apiserver-admission',
          'Content-Length': Buffer.byteLength(body),
        },
        ...(ca === undefined ? {} : { ca }),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => fail(e.message));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            reject(
              new WebhookCallError(
                status >= 500
                  ? `an error on the server (${JSON.stringify(text.slice(0, 1024))}) has prevented the request from succeeding`
                  : `the server responded with the status code ${status} but did not return more information`,
              ),
            );
            return;
          }
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch (e) {
            reject(
              new WebhookCallError(`couldn't get version/kind; json parse error: ${(e as Error).message}`),
            );
            return;
          }
          if (!isObject(parsed)) {
            reject(
              new WebhookCallError(
                "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct",
              ),
            );
            return;
          }
          resolve(parsed);
        });
      },
    );
    req.setTimeout(target.timeoutSeconds * 1000, () => {
      req.destroy();
      fail('context deadline exceeded');
    });
    req.on('error', (e: NodeJS.ErrnoException) => fail(goTransportMessage(e, url)));
    req.end(body);
  });
}
