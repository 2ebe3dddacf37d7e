/**
 * Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name). The same inputs always
 * give the same id, which is what makes names of the resources we create deterministic: a retried
 * PUT lands on the same resource instead of creating a twin.
 */
import { createHash } from 'node:crypto';

/** RFC 9562 namespace for URLs; ours below is derived from it so it is reproducible anywhere. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

export function uuidv5(name: string, namespace: string): string {
  if (!isUuid(namespace)) throw new Error(`uuidv5: '${namespace}' is not a UUID`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(Buffer.from(name, 'utf8'))
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The namespace of every name-based id this product derives (role assignments today). */
export const CONNECTOR_NAMESPACE = uuidv5('https://connector-functions/names', URL_NAMESPACE);
