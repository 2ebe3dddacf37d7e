/**
 * Storage failures as the core sees them: transient ones (5xx, 408, 429, no response) are
 * RetryableError, anything else TerminalError. Status codes only; the core never sees SDK types.
 */
import { RetryableError, TerminalError } from '../errors/index.js';

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function storeFailure(error: unknown, what: string): RetryableError | TerminalError {
  const status = statusOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  const details = { status, code: typeof code === 'string' ? code : undefined, cause: error, target: what };
  if (status === undefined || status >= 500 || status === 408 || status === 429) {
    return new RetryableError(`Storage is not available for ${what}.`, {
      ...details,
      reason: 'StorageUnavailable',
    });
  }
  return new TerminalError(`Storage refused a request for ${what} (HTTP ${status}).`, {
    ...details,
    reason: 'StorageRequestFailed',
  });
}

/** Runs a storage call; the listed statuses come back as values, everything else is classified. */
export async function guarded<T, S extends number>(
  what: string,
  call: () => Promise<T>,
  expected: readonly S[],
): Promise<{ ok: true; value: T } | { ok: false; status: S }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const status = statusOf(error);
    if (status !== undefined && (expected as readonly number[]).includes(status))
      return { ok: false, status: status as S };
    throw storeFailure(error, what);
  }
}
