/**
 * The narrow port between the allocator and its storage (Azure Table Storage in
 * shared/store/hostport-allocations.ts). One partition per cluster holds that cluster's bitmap
 * blocks and leases, so that a block change and a lease change commit in one atomic transaction.
 */
import { RetryableError } from '../errors/index.js';
import type { AssignedHostPort, Protocol } from './types.js';

export interface StoredBlock {
  readonly protocol: Protocol;
  readonly index: number;
  readonly bits: Uint8Array;
  /** Undefined for a block never written (all free): writing it is an insert-if-not-exists. */
  readonly etag: string | undefined;
}

export interface LeaseData {
  readonly id: string;
  /** `released` is a tombstone: a transaction cannot delete conditionally, so release rewrites. */
  readonly state: 'active' | 'released';
  readonly namespace: string;
  /** Undefined for pods named by generateName (no name exists at admission). */
  readonly podName: string | undefined;
  readonly ports: readonly AssignedHostPort[];
  /** Epoch milliseconds, from the allocating instance's clock. */
  readonly createdAt: number;
  /** Last time the lease was handed out (creation or a retried admission); the repair grace counts from it. */
  readonly renewedAt: number;
}

export interface StoredLease extends LeaseData {
  readonly etag: string;
}

export interface BlockWrite {
  readonly protocol: Protocol;
  readonly index: number;
  readonly bits: Uint8Array;
  /** The ETag the new bits were computed from (If-Match), or undefined to insert a new block. */
  readonly etag: string | undefined;
}

export type LeaseWrite =
  | { readonly kind: 'create'; readonly lease: LeaseData }
  | { readonly kind: 'replace'; readonly lease: LeaseData; readonly etag: string };

export interface CommitResult {
  /** New ETags by `blockKey(protocol, index)`. */
  readonly blockEtags: ReadonlyMap<string, string>;
  readonly leaseEtag: string | undefined;
}

export interface HostPortStateStore {
  /** Every stored block of one protocol (one query; absent blocks are all free). */
  readBlocks(partition: string, protocol: Protocol): Promise<StoredBlock[]>;
  /** One block; an absent block comes back empty with an undefined ETag. */
  readBlock(partition: string, protocol: Protocol, index: number): Promise<StoredBlock>;
  readLease(partition: string, leaseId: string): Promise<StoredLease | undefined>;
  listLeases(partition: string): Promise<StoredLease[]>;
  /**
   * Writes blocks and (optionally) a lease atomically, every write conditional on its ETag.
   * Throws a RetryableError with reason `ConcurrentUpdate` when a condition fails.
   */
  commit(partition: string, blocks: readonly BlockWrite[], lease?: LeaseWrite): Promise<CommitResult>;
  /** Deletes a lease if its ETag still matches; false when it changed or is gone. */
  deleteLease(partition: string, leaseId: string, etag: string): Promise<boolean>;
}

export const concurrentUpdateReason = 'ConcurrentUpdate';

export function blockKey(protocol: Protocol, index: number): string {
  return `${protocol}:${index}`;
}

export function concurrentUpdate(message: string, cause?: unknown): RetryableError {
  return new RetryableError(message, { reason: concurrentUpdateReason, cause });
}

export function isConcurrentUpdate(error: unknown): boolean {
  return error instanceof RetryableError && error.reason === concurrentUpdateReason;
}
