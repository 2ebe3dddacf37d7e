/**
 * Conditional requests (RFC 9110 §13): `If-Match` and `If-None-Match` against the resource's
 * current ETag. `If-Match` is evaluated first; a failed condition is 412 PreconditionFailed. Tags
 * are compared by their opaque text, with or without quotes (clients often send the `etag`
 * property unquoted); ours are never weak.
 */
import { apiErrors } from '../arm-error.js';

export type TagCondition = { readonly any: true } | { readonly tags: readonly string[] };

export interface Preconditions {
  readonly ifMatch?: TagCondition;
  readonly ifNoneMatch?: TagCondition;
}

function parseCondition(value: string | null): TagCondition | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (value.trim() === '*') return { any: true };
  const tags = value
    .split(',')
    .map((t) => normalizeTag(t))
    .filter((t) => t !== '');
  return { tags };
}

function normalizeTag(tag: string): string {
  return tag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

export function readPreconditions(headers: { get(name: string): string | null }): Preconditions {
  const ifMatch = parseCondition(headers.get('if-match'));
  const ifNoneMatch = parseCondition(headers.get('if-none-match'));
  return {
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
  };
}

function matches(condition: TagCondition, revision: string | undefined): boolean {
  if (revision === undefined) return false;
  return 'any' in condition || condition.tags.includes(revision);
}

/**
 * Throws 412 when the conditions do not hold for a resource at `revision` (undefined: it does not
 * exist). `what` names the resource in the message.
 */
export function checkPreconditions(p: Preconditions, revision: string | undefined, what: string): void {
  if (p.ifMatch !== undefined && !matches(p.ifMatch, revision)) {
    throw apiErrors.preconditionFailed(
      revision === undefined
        ? `The ${what} does not exist, so If-Match cannot be satisfied.`
        : `The ${what} has changed: its ETag is not the one given in If-Match. Read it again and retry.`,
    );
  }
  if (p.ifNoneMatch !== undefined && revision !== undefined && matches(p.ifNoneMatch, revision)) {
    throw apiErrors.preconditionFailed(
      'any' in p.ifNoneMatch
        ? `The ${what} already exists (If-None-Match: *).`
        : `The ${what} matches an ETag given in If-None-Match.`,
    );
  }
}
