/**
 * ARM's request throttling since the 2024 regional token-bucket model (Learn, "Understand how Azure
 * Resource Manager throttles requests"): per subscription, per principal and per operation type
 * (reads 250 / 25 per s, writes 200 / 10 per s, deletes 200 / 10 per s) plus a global
 * per-subscription limit of 15x those across all principals. Tenant-level requests use the same
 * sizes per tenant. Refill runs on emulated time, so a time scale makes a test refill in ms.
 */
import type { Clock } from '../core/clock.js';

export type OperationKind = 'read' | 'write' | 'delete' | 'action';
export type BucketKind = 'reads' | 'writes' | 'deletes';

export interface BucketLimit {
  readonly bucketSize: number;
  readonly refillPerSecond: number;
}

export interface ThrottlingOptions {
  readonly reads?: BucketLimit;
  readonly writes?: BucketLimit;
  readonly deletes?: BucketLimit;
  /** The global per-subscription bucket is this many times the per-principal one (15 in Azure). */
  readonly globalMultiplier?: number;
}

export const armThrottlingLimits: Readonly<Record<BucketKind, BucketLimit>> = {
  reads: { bucketSize: 250, refillPerSecond: 25 },
  writes: { bucketSize: 200, refillPerSecond: 10 },
  deletes: { bucketSize: 200, refillPerSecond: 10 },
};

/** POSTs (actions such as listKeys) count as writes, as the remaining-writes header shows. */
export function bucketOf(kind: OperationKind): BucketKind {
  return kind === 'read' ? 'reads' : kind === 'delete' ? 'deletes' : 'writes';
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  readonly limit: BucketLimit;
}

export type ThrottleDecision =
  | { readonly allowed: true; readonly headers: Record<string, string> }
  | {
      readonly allowed: false;
      readonly headers: Record<string, string>;
      readonly retryAfterMs: number;
      readonly scope: 'principal' | 'global';
    };

export class Throttler {
  private readonly buckets = new Map<string, Bucket>();
  private limits: Record<BucketKind, BucketLimit>;
  private globalMultiplier: number;
  enabled: boolean;

  constructor(
    private readonly clock: Clock,
    options: boolean | ThrottlingOptions = true,
  ) {
    this.enabled = options !== false;
    const o = typeof options === 'object' ? options : {};
    this.limits = {
      reads: o.reads ?? armThrottlingLimits.reads,
      writes: o.writes ?? armThrottlingLimits.writes,
      deletes: o.deletes ?? armThrottlingLimits.deletes,
    };
    this.globalMultiplier = o.globalMultiplier ?? 15;
  }

  configure(options: ThrottlingOptions): void {
    this.limits = {
      reads: options.reads ?? this.limits.reads,
      writes: options.writes ?? this.limits.writes,
      deletes: options.deletes ?? this.limits.deletes,
    };
    this.globalMultiplier = options.globalMultiplier ?? this.globalMultiplier;
    this.buckets.clear();
  }

  reset(): void {
    this.buckets.clear();
  }

  /** Takes one token from the principal's and the global bucket, or says how long to wait. */
  take(
    scope: { subscriptionId?: string; tenantId: string },
    principalId: string,
    kind: OperationKind,
  ): ThrottleDecision {
    if (!this.enabled) return { allowed: true, headers: {} };
    const bucketKind = bucketOf(kind);
    const level = scope.subscriptionId === undefined ? 'tenant' : 'subscription';
    const scopeId = scope.subscriptionId ?? scope.tenantId;
    const limit = this.limits[bucketKind];
    const own = this.bucket(`${level}|${scopeId}|${principalId}|${bucketKind}`, limit);
    const global = this.bucket(`${level}|${scopeId}|*|${bucketKind}`, {
      bucketSize: limit.bucketSize * this.globalMultiplier,
      refillPerSecond: limit.refillPerSecond * this.globalMultiplier,
    });
    const headers = (ownLeft: number, globalLeft: number): Record<string, string> =>
      level === 'tenant'
        ? { [`x-ms-ratelimit-remaining-tenant-${bucketKind}`]: String(Math.floor(ownLeft)) }
        : {
            [`x-ms-ratelimit-remaining-subscription-${bucketKind}`]: String(Math.floor(ownLeft)),
            [`x-ms-ratelimit-remaining-subscription-global-${bucketKind}`]: String(Math.floor(globalLeft)),
          };
    if (own.tokens < 1 || global.tokens < 1) {
      const short = own.tokens < 1 ? own : global;
      const waitSeconds = (1 - short.tokens) / short.limit.refillPerSecond;
      return {
        allowed: false,
        headers: headers(own.tokens, global.tokens),
        retryAfterMs: Math.max(1, Math.ceil(this.clock.realMs(waitSeconds))),
        scope: short === own ? 'principal' : 'global',
      };
    }
    own.tokens -= 1;
    global.tokens -= 1;
    return { allowed: true, headers: headers(own.tokens, global.tokens) };
  }

  private bucket(id: string, limit: BucketLimit): Bucket {
    const now = this.clock.now();
    let bucket = this.buckets.get(id);
    if (bucket === undefined) {
      bucket = { tokens: limit.bucketSize, updatedAt: now, limit };
      this.buckets.set(id, bucket);
      return bucket;
    }
    const azureSeconds = ((now - bucket.updatedAt) / 1000) * this.clock.timeScale;
    bucket.tokens = Math.min(limit.bucketSize, bucket.tokens + azureSeconds * limit.refillPerSecond);
    bucket.updatedAt = now;
    return bucket;
  }
}
