/**
 * Fault injection. A request fault answers matching requests with a chosen status and ARM error
 * (and/or adds latency) instead of handling them; an operation fault lets a long-running operation
 * start normally and end Failed with a chosen error, optionally leaving properties on the resource
 * (e.g. a cluster extension's Helm `statuses`).
 */
import type { ArmErrorDetail } from '../core/arm-error.js';
import type { JsonObject } from '../core/store.js';

/** A glob over the path (`*` = one segment, `**` = any) or a regular expression; case-insensitive. */
export type PathPattern = string | RegExp;

export interface RequestFaultSpec {
  readonly method?: string;
  readonly path: PathPattern;
  /** Omit to only add latency. */
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  /** How many matching requests to affect (default: every one until removed). */
  readonly count?: number;
  readonly latencyMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface OperationFaultSpec {
  readonly method?: 'PUT' | 'PATCH' | 'DELETE' | 'POST';
  readonly path: PathPattern;
  readonly error: ArmErrorDetail;
  /** Properties merged into the resource's `properties` when the operation fails. */
  readonly properties?: JsonObject;
  readonly count?: number;
}

export interface FaultHandle {
  /** How many requests or operations this fault has affected. */
  readonly hits: () => number;
  remove(): void;
}

interface Entry<T> {
  readonly spec: T;
  readonly test: (path: string) => boolean;
  hits: number;
}

export function compilePattern(pattern: PathPattern): (path: string) => boolean {
  if (pattern instanceof RegExp) return (p) => pattern.test(p);
  const escaped = pattern
    .replace(/\/+$/, '')
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  const re = new RegExp(`^${escaped}/?$`, 'i');
  return (p) => re.test(p);
}

export class Faults {
  private readonly requestFaults: Entry<RequestFaultSpec>[] = [];
  private readonly operationFaults: Entry<OperationFaultSpec>[] = [];

  inject(spec: RequestFaultSpec): FaultHandle {
    return this.add(this.requestFaults, spec);
  }

  failOperation(spec: OperationFaultSpec): FaultHandle {
    return this.add(this.operationFaults, spec);
  }

  clear(): void {
    this.requestFaults.length = 0;
    this.operationFaults.length = 0;
  }

  /** The request fault that applies to this request (consuming one of its count), if any. */
  takeRequestFault(method: string, path: string): RequestFaultSpec | undefined {
    return this.take(this.requestFaults, method, path);
  }

  takeOperationFault(method: string, path: string): OperationFaultSpec | undefined {
    return this.take(this.operationFaults, method, path);
  }

  private take<T extends { method?: string; count?: number }>(
    list: Entry<T>[],
    method: string,
    path: string,
  ): T | undefined {
    const entry = list.find(
      (e) =>
        (e.spec.method === undefined || e.spec.method.toUpperCase() === method) &&
        e.test(path) &&
        e.hits < (e.spec.count ?? Number.POSITIVE_INFINITY),
    );
    if (entry === undefined) return undefined;
    entry.hits += 1;
    return entry.spec;
  }

  private add<T extends { path: PathPattern }>(list: Entry<T>[], spec: T): FaultHandle {
    const entry: Entry<T> = { spec, test: compilePattern(spec.path), hits: 0 };
    list.push(entry);
    return {
      hits: () => entry.hits,
      remove: () => {
        const i = list.indexOf(entry);
        if (i >= 0) list.splice(i, 1);
      },
    };
  }
}
