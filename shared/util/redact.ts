/**
 * Redaction by key, applied to everything we log or put in a status: values under keys that name
 * credentials are replaced, whatever they contain. Matching is on the key, never on the value.
 */

export const REDACTED = '***';

const secretKeyPattern =
  /(secret|password|passwd|pwd|token|connectionstring|accountkey|primarykey|secondarykey|sharedaccesskey|sas|credential|privatekey|apikey|authorization|cookie|kubeconfig|certificate-authority-data|client-key-data|client-certificate-data|(^|_)key$)/i;

/** Keys that hold secret data only inside a Kubernetes Secret. */
const secretObjectDataKeys = new Set(['data', 'stringData']);

export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

export function redact<T>(value: T, depth = 0): T {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => redact(v, depth + 1)) as T;
  if (value instanceof Error) return redactError(value) as T;
  const source = value as Record<string, unknown>;
  const isKubeSecret = source['kind'] === 'Secret';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) {
    if (
      (isSecretKey(k) && v !== '' && v !== undefined && v !== null) ||
      (isKubeSecret && secretObjectDataKeys.has(k))
    ) {
      out[k] = typeof v === 'object' && v !== null ? mapValues(v as Record<string, unknown>) : REDACTED;
    } else {
      out[k] = redact(v, depth + 1);
    }
  }
  return out as T;
}

/** Keeps the keys of a secret map (useful: which keys exist) but none of the values. */
function mapValues(v: Record<string, unknown>): Record<string, string> | string {
  if (Array.isArray(v)) return REDACTED;
  return Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
}

function redactError(error: Error): Record<string, unknown> {
  const e = error as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { name: e.name, message: e.message };
  for (const k of ['reason', 'code', 'status', 'statusCode', 'target', 'mitigation']) {
    if (e[k] !== undefined) out[k] = e[k];
  }
  return out;
}
