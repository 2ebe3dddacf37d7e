import { errors } from './status.js';

const alphabet = /^[A-Za-z0-9+/]$/;

/**
 * Go's base64.StdEncoding.DecodeString acceptance: what decoding a Secret's `data` or a
 * ConfigMap's `binaryData` demands. Returns the decoded length, or the offending byte offset.
 */
export function base64Check(value: string): { ok: true; length: number } | { ok: false; at: number } {
  let padding = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch === '=') {
      padding++;
      if (padding > 2) return { ok: false, at: i };
      continue;
    }
    if (ch === '\r' || ch === '\n') continue;
    if (padding > 0 || !alphabet.test(ch)) return { ok: false, at: i };
  }
  const clean = value.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0) return { ok: false, at: clean.length - (clean.length % 4) };
  return { ok: true, length: (clean.length / 4) * 3 - padding };
}

export function decodeError(kind: string, detail: string): Error {
  return errors.badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${detail}`);
}
