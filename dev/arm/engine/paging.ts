/**
 * List paging as ARM does it: a page of `value` and, when more remain, an absolute `nextLink` that
 * repeats the request's URL (its api-version and filters) with a `$skipToken`. Clients must follow
 * it: a connector that reads only the first page misses clusters, role assignments or rules once a
 * subscription is large. The token is opaque to clients; here it is the offset of the next page,
 * so paging is stateless and a list that changes between pages behaves as ARM's may (items can be
 * skipped or repeated). The page size is the world's (`World.listPageSize`; ADR 0016).
 */
import { ArmError } from '../core/arm-error.js';
import type { RequestContext } from './request-context.js';

const skipTokenParam = '$skipToken';

function offsetOf(req: RequestContext): number {
  const token = req.query.get(skipTokenParam);
  if (token === null) return 0;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^offset:(\d{1,9})$/.exec(decoded);
  if (match === null) {
    throw new ArmError(400, 'InvalidSkipToken', `The skip token '${token}' is not valid for this list.`);
  }
  return Number(match[1]);
}

/** A page size as configured: a positive integer, or undefined for one page. */
export function checkedPageSize(size: number | undefined): number | undefined {
  if (size === undefined) return undefined;
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`listPageSize must be a positive integer, not ${size}`);
  return size;
}

/** One page of `values` for this request, with the `nextLink` to the rest. */
export function pageOf<T>(
  req: RequestContext,
  values: readonly T[],
  pageSize: number | undefined,
): { value: T[]; nextLink?: string } {
  const offset = offsetOf(req);
  if (pageSize === undefined) return { value: values.slice(offset) };
  const end = offset + pageSize;
  const value = values.slice(offset, end);
  if (end >= values.length) return { value };
  const next = new URL(req.url);
  next.searchParams.set(skipTokenParam, Buffer.from(`offset:${end}`, 'utf8').toString('base64url'));
  return { value, nextLink: next.toString() };
}
