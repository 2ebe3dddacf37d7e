/** Every request the emulator answered, for assertions (reads per reconcile) and benchmarks. */
import type { OperationKind } from './throttling.js';

export interface RequestLogEntry {
  /** Real epoch ms when the request arrived. */
  readonly time: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly apiVersion: string | undefined;
  readonly kind: OperationKind;
  readonly status: number;
  /** The ARM error code of a failed request. */
  readonly errorCode: string | undefined;
  /** `oid` of the caller; undefined when authentication failed. */
  readonly principalId: string | undefined;
  readonly subscriptionId: string | undefined;
  /** e.g. `Microsoft.Storage/storageAccounts` when the path addresses a resource type. */
  readonly resourceType: string | undefined;
  readonly durationMs: number;
}

export type RequestFilter = Partial<{
  method: string;
  kind: OperationKind;
  status: number;
  principalId: string;
  subscriptionId: string;
  resourceType: string;
  /** Case-insensitive substring or a regular expression over the path. */
  path: string | RegExp;
  since: number;
}>;

export class RequestLog {
  private readonly items: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.items.push(entry);
  }

  entries(filter: RequestFilter = {}): RequestLogEntry[] {
    return this.items.filter((e) => matches(e, filter));
  }

  count(filter: RequestFilter = {}): number {
    return this.entries(filter).length;
  }

  /** Counts by operation kind, e.g. `{ read: 12, write: 3, delete: 0, action: 1 }`. */
  summary(filter: RequestFilter = {}): Record<OperationKind, number> {
    const out: Record<OperationKind, number> = { read: 0, write: 0, delete: 0, action: 0 };
    for (const e of this.entries(filter)) out[e.kind] += 1;
    return out;
  }

  clear(): void {
    this.items.length = 0;
  }
}

function matches(e: RequestLogEntry, f: RequestFilter): boolean {
  if (f.method !== undefined && e.method !== f.method.toUpperCase()) return false;
  if (f.kind !== undefined && e.kind !== f.kind) return false;
  if (f.status !== undefined && e.status !== f.status) return false;
  if (f.principalId !== undefined && e.principalId !== f.principalId.toLowerCase()) return false;
  if (f.subscriptionId !== undefined && e.subscriptionId?.toLowerCase() !== f.subscriptionId.toLowerCase())
    return false;
  if (f.resourceType !== undefined && e.resourceType?.toLowerCase() !== f.resourceType.toLowerCase())
    return false;
  if (f.since !== undefined && e.time < f.since) return false;
  if (f.path !== undefined) {
    if (
      typeof f.path === 'string' ? !e.path.toLowerCase().includes(f.path.toLowerCase()) : !f.path.test(e.path)
    )
      return false;
  }
  return true;
}
