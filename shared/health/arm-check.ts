/**
 * The health endpoint's ARM check: can the app's identity get a token for ARM, and does one cheap
 * ARM read succeed as the app, each within a short timeout. The I/O is behind `ArmProbe`
 * (shared/runtime/arm-probe.ts builds it from DefaultAzureCredential); this module decides what the
 * result says and keeps it for a while, because GET /api/health is anonymous and must not become a
 * way to make the app call ARM (or its token endpoint) on every request.
 *
 * Failures are reported as codes only: a foreign error's message can quote a response body, a
 * token endpoint's answer or a URL with a secret in it, so it is never copied into the report.
 */

export interface ArmProbe {
  /** A token for ARM from the app's credential; rejects when there is none. */
  token(signal: AbortSignal): Promise<string>;
  /** One cheap authenticated read; resolves with ARM's answer, rejects when none came. */
  read(token: string, signal: AbortSignal): Promise<{ status: number; code?: string | undefined }>;
}

export interface ArmHealth {
  /** The read succeeded: ARM answered it as the app, within the timeout. */
  readonly reachable: boolean;
  /** The app's credential (DefaultAzureCredential) gave a token for ARM. */
  readonly identity: boolean;
  /** Why not, the first failure, as a code: a network or credential failure, or ARM's error code. */
  readonly reason?: string;
  /** ARM's HTTP status when it answered the read with an error. */
  readonly status?: number;
  /** When this was measured; the same result is reused until `cacheSeconds` after it. */
  readonly checkedAt: string;
}

/** Per stage; health must answer quickly even when ARM or the token endpoint hangs. */
export const armCheckTimeoutMs = 3000;
/** How long one result is reused (per process). */
export const armCheckCacheMs = 60_000;

/** Network failures by Node/undici error code; anything else is `NetworkError`. */
const networkReasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'ConnectionRefused',
  ECONNRESET: 'ConnectionReset',
  EPIPE: 'ConnectionReset',
  ENOTFOUND: 'HostNotFound',
  EAI_AGAIN: 'HostNotFound',
  ETIMEDOUT: 'Timeout',
  ESOCKETTIMEDOUT: 'Timeout',
  EHOSTUNREACH: 'HostUnreachable',
  ENETUNREACH: 'HostUnreachable',
};

/** Credential failures by @azure/identity error name. */
const credentialReasons: Readonly<Record<string, string>> = {
  CredentialUnavailableError: 'CredentialUnavailable',
  AuthenticationRequiredError: 'AuthenticationRequired',
  AuthenticationError: 'AuthenticationFailed',
  AggregateAuthenticationError: 'CredentialUnavailable',
};

/** An ARM error code is safe to echo when it looks like one (letters and digits, bounded). */
const armCodePattern = /^[A-Za-z][A-Za-z0-9]{1,79}$/;

function errorField(error: unknown, field: 'name' | 'code'): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/** The code of a failed request, by the error's `code` (and its cause's), never its message. */
export function networkReason(error: unknown): string {
  if (errorField(error, 'name') === 'AbortError') return 'Timeout';
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 4; depth++) {
    const code = errorField(e, 'code');
    if (code !== undefined) {
      const known = networkReasons[code];
      if (known !== undefined) return known;
      if (/CERT|SSL|TLS|SELF_SIGNED|ALTNAME|SIGNATURE|ISSUER/.test(code)) return 'TlsError';
    }
    e = typeof e === 'object' && e !== null ? (e as { cause?: unknown }).cause : undefined;
  }
  return 'NetworkError';
}

/** The code of a failed token request, by the error's name. */
export function credentialReason(error: unknown): string {
  const name = errorField(error, 'name');
  if (name === 'AbortError') return 'Timeout';
  return (name !== undefined ? credentialReasons[name] : undefined) ?? 'TokenRequestFailed';
}

/** ARM's answer to the read, as a reason: its error code when it is one, else the status. */
export function answerReason(answer: { status: number; code?: string | undefined }): string {
  const code = answer.code;
  if (code !== undefined && armCodePattern.test(code)) return code;
  return `Http${answer.status}`;
}

/** Runs `work` with a signal that aborts after `ms`; the timeout wins even if `work` ignores it. */
async function within<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error('timed out');
      error.name = 'AbortError';
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkArm(
  probe: ArmProbe,
  options: { timeoutMs?: number; clock?: () => Date } = {},
): Promise<ArmHealth> {
  const timeoutMs = options.timeoutMs ?? armCheckTimeoutMs;
  const checkedAt = (options.clock ?? (() => new Date()))().toISOString();
  let token: string;
  try {
    token = await within(timeoutMs, (signal) => probe.token(signal));
  } catch (error) {
    return { reachable: false, identity: false, reason: credentialReason(error), checkedAt };
  }
  let answer: { status: number; code?: string | undefined };
  try {
    answer = await within(timeoutMs, (signal) => probe.read(token, signal));
  } catch (error) {
    return { reachable: false, identity: true, reason: networkReason(error), checkedAt };
  }
  if (answer.status >= 200 && answer.status < 300) return { reachable: true, identity: true, checkedAt };
  return { reachable: false, identity: true, reason: answerReason(answer), status: answer.status, checkedAt };
}

/**
 * One check at a time, and its result reused for `ttlMs`: a burst of health requests shares one
 * check, and a result (good or bad) stands until it expires.
 */
export function cachedArmCheck(
  check: () => Promise<ArmHealth>,
  options: { ttlMs?: number; now?: () => number } = {},
): () => Promise<ArmHealth> {
  const ttlMs = options.ttlMs ?? armCheckCacheMs;
  const now = options.now ?? Date.now;
  let current: { result: Promise<ArmHealth>; at: number } | undefined;
  return () => {
    if (current === undefined || now() - current.at >= ttlMs) {
      const at = now();
      // checkArm reports every failure; this only guards a probe that could not even be built.
      const result = Promise.resolve()
        .then(check)
        .catch((): ArmHealth => ({
          reachable: false,
          identity: false,
          reason: 'CheckFailed',
          checkedAt: new Date(at).toISOString(),
        }));
      current = { result, at };
    }
    return current.result;
  };
}
