import { isObject, type Json } from '../core/json.js';

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k] ?? null)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * controller.ComputeHash: FNV-32a over the pod template (and collision count), printed in
 * decimal and passed through rand.SafeEncodeString. The hashed bytes are canonical JSON here,
 * not Go's deep-hash printer, so the values differ from a real cluster's but keep the shape.
 */
export function podTemplateHash(template: Json, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(canonical(template) + (collisionCount > 0 ? String(collisionCount) : ''));
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((c) => alphanums[(c.codePointAt(0) ?? 0) % alphanums.length] ?? 'b').join('');
}
