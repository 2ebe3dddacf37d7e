/**
 * How a cluster's API server authenticates to the webhook (ADR 0041). A webhook URL may carry no
 * query string, so a function key cannot ride as `?code=`; instead the route carries the cluster's
 * reference and a per-cluster secret: `hostports/admission/{clusterRef}/{token}`. The store keeps
 * only the token's SHA-256, compared in constant time; the clusterRef selects the registration
 * and the allocation partition, so a token for one cluster can never allocate in another's range.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { armIdKey } from '../util/arm-id.js';

/** The Functions route (under the host's `api/` prefix). */
export const webhookRoute = 'hostports/admission/{clusterRef}/{token}';

const clusterRefPattern = /^[0-9a-f]{32}$/;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * A cluster's short, URL-safe, deterministic reference: 128 bits of SHA-256 of its ARM id compared
 * case-insensitively. It is the partition key of the cluster's host-port state as well.
 */
export function clusterRef(clusterId: string): string {
  return createHash('sha256').update(armIdKey(clusterId)).digest('hex').slice(0, 32);
}

export function isClusterRef(value: string): boolean {
  return clusterRefPattern.test(value);
}

export function isWebhookTokenShape(value: string): boolean {
  return tokenPattern.test(value);
}

/** 256 random bits, base64url (43 characters, no padding). */
export function newWebhookToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A plain SHA-256 suffices: the token is 256 random bits, so there is nothing to brute-force that a
 * slow password hash would protect.
 */
export function hashWebhookToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of the presented token's hash with a stored one. */
export function tokenMatches(storedHashHex: string | undefined, token: string): boolean {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const stored = Buffer.from(storedHashHex ?? '', 'hex');
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

export function webhookPath(ref: string, token: string): string {
  return `hostports/admission/${ref}/${token}`;
}

/** The `clientConfig.url` to register: https, no query string, no fragment. */
export function webhookUrl(publicBaseUrl: string, ref: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/api/${webhookPath(ref, token)}`;
}
