/**
 * Table keys. PartitionKey and RowKey may not contain `/ \ # ?` or control characters
 * (U+0000-U+001F, U+007F-U+009F) and hold at most 1 KiB. ARM ids become keys readably and
 * reversibly: lower-cased (ARM ids compare case-insensitively, `armIdKey`), the leading `/`
 * dropped, every other `/` written as `|`, and any character that is forbidden or is one of our
 * escape characters (`| ~ %`) written as `~` + four hex digits.
 *
 *   /subscriptions/S/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1
 *   subscriptions|s|resourcegroups|rg-aks|providers|microsoft.containerservice|managedclusters|aks1
 */
import { armIdKey } from '../util/arm-id.js';

/** Forbidden by the service (`\ # ?` and control characters; `/` is handled apart) or used by us. */
function needsEscape(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return '\\#?|~%'.includes(ch) || code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** Longest key we write (UTF-16 code units); the service's limit is 1 KiB. */
export const maxKeyLength = 512;

export function encodeKey(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '/') out += '|';
    else if (needsEscape(ch)) out += `~${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

export function decodeKey(key: string): string {
  return key.replace(/~([0-9a-f]{4})|\|/g, (match, hex: string | undefined) =>
    hex === undefined ? '/' : String.fromCodePoint(parseInt(hex, 16)),
  );
}

/** The partition key of everything that belongs to one cluster. */
export function clusterKey(clusterId: string): string {
  const key = encodeKey(armIdKey(clusterId).replace(/^\//, ''));
  if (key.length > maxKeyLength)
    throw new Error(`clusterKey: the cluster id is longer than ${maxKeyLength} characters`);
  return key;
}

/** The cluster id (lower-cased) a partition key stands for. */
export function clusterIdOfKey(key: string): string {
  return `/${decodeKey(key)}`;
}

/** Linker and template names are restricted to `[A-Za-z0-9._-]`, so lower-casing is the whole encoding. */
export function nameKey(name: string): string {
  return encodeKey(name.toLowerCase());
}
