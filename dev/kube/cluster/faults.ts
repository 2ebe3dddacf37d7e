import { KubeError } from '../api/status.js';

/** A failure to answer instead of serving a request: throttling, 5xx, conflicts on demand. */
export interface FaultSpec {
  /** HTTP method to match (any when absent). */
  readonly method?: string;
  /** Substring or pattern of the path below the cluster prefix, e.g. `/secrets/`. */
  readonly path?: string | RegExp;
  /** Status code and reason of the answer; ignored when `disconnect` is set. */
  readonly code: number;
  readonly reason: string;
  /** Drop the connection without an answer (an unreachable or crashing API server). */
  readonly disconnect?: boolean;
  readonly message?: string;
  readonly retryAfterSeconds?: number;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
}

export class FaultInjector {
  private readonly faults: { spec: FaultSpec; left: number }[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec, left: spec.times ?? 1 });
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** The error to answer with (or 'disconnect'), consuming one use of the first matching fault. */
  take(method: string, path: string): KubeError | 'disconnect' | undefined {
    const f = this.faults.find(({ spec, left }) => {
      if (left <= 0) return false;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false;
      if (spec.path === undefined) return true;
      return typeof spec.path === 'string' ? path.includes(spec.path) : spec.path.test(path);
    });
    if (f === undefined) return undefined;
    f.left--;
    const { spec } = f;
    if (spec.disconnect === true) return 'disconnect';
    const retry = spec.retryAfterSeconds;
    return new KubeError(
      spec.code,
      spec.reason,
      spec.message ?? defaultMessage(spec.code),
      retry === undefined ? undefined : { retryAfterSeconds: retry },
      retry === undefined ? {} : { 'Retry-After': String(retry) },
    );
  }
}

function defaultMessage(code: number): string {
  if (code === 429) return 'Too many requests, please try again later.';
  if (code === 503) return 'the server is currently unable to handle the request';
  if (code === 504)
    return 'the server was unable to return a response in the time allotted, but may still be processing the request';
  return 'an error on the server has prevented the request from succeeding';
}
