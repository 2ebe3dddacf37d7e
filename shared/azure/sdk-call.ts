/**
 * Runs a typed SDK call and returns what ARM sent (REST JSON), with failures classified. The SDK's
 * own return value is ignored: it is the flattened model, and the planners take REST bodies.
 */
import type { ArmRest } from './arm-rest.js';
import { classifySdkError, isArmStatus } from './failures.js';
import { pageOf, toReply, type OnResponse, type Reply } from './reply.js';

/** One typed call on a client; it passes `onResponse` in the operation options. */
export type SdkOperation<C> = (client: C, onResponse: OnResponse) => Promise<unknown>;

async function run<C>(target: string, client: Promise<C>, call: SdkOperation<C>): Promise<Reply> {
  let last: Reply | undefined;
  try {
    await call(await client, (raw) => {
      last = toReply(raw);
    });
  } catch (error) {
    throw classifySdkError(error, target);
  }
  if (last === undefined) throw new Error(`The SDK call for ${target} returned without a response.`);
  return last;
}

export function sdkCall<C>(target: string, client: Promise<C>, call: SdkOperation<C>): Promise<Reply> {
  return run(target, client, call);
}

/** A read: 404 (the resource, its parent or its group is gone) is undefined. */
export async function sdkRead<C>(
  target: string,
  client: Promise<C>,
  call: SdkOperation<C>,
): Promise<Reply | undefined> {
  try {
    return await run(target, client, call);
  } catch (error) {
    if (isArmStatus(error, 404)) return undefined;
    throw error;
  }
}

/** A delete: 204 (nothing there) and 404 (nor its parent) are `absent`. */
export async function sdkDelete<C>(
  target: string,
  client: Promise<C>,
  call: SdkOperation<C>,
): Promise<'deleted' | 'absent'> {
  const reply = await sdkRead(target, client, call);
  return reply === undefined || reply.status === 204 ? 'absent' : 'deleted';
}

export interface ListOptions {
  /** Paged actions (App Configuration `listKeys`) follow `nextLink` with POST. */
  readonly nextMethod?: 'GET' | 'POST';
  /** Stop fetching pages once an item matches. */
  readonly until?: (item: unknown) => boolean;
  /** What a 404 of the collection's parent means: nothing listed (default), or an error to throw. */
  readonly notFound?: 'empty' | 'throw';
}

/**
 * Every item of a paged list as REST JSON. The typed call fetches the first page (`byPage().next()`);
 * later pages follow `nextLink` through the REST pipeline, because the modular clients' pagers do
 * not pass `onResponse` to the requests for later pages (static-helpers/pagingHelpers.js). As for
 * reads, a 404 (the parent is gone) lists nothing unless the caller asks for the error.
 */
export async function sdkList<C>(
  rest: ArmRest,
  target: string,
  client: Promise<C>,
  firstPage: SdkOperation<C>,
  options: ListOptions = {},
): Promise<unknown[]> {
  const first = await (options.notFound === 'throw'
    ? run(target, client, firstPage)
    : sdkRead(target, client, firstPage));
  if (first === undefined) return [];
  let page = pageOf(first.body);
  const items = [...page.items];
  // Later pages: a GET (or POST) of the absolute nextLink, which carries its own api-version.
  while (page.nextLink !== undefined && !(options.until !== undefined && items.some(options.until))) {
    page = pageOf((await rest.follow(page.nextLink, options.nextMethod ?? 'GET', target)).body);
    items.push(...page.items);
  }
  return items;
}
