/** What a handler knows about the request it serves. */
import type { TokenClaims } from '../auth/jwt.js';
import type { Principal } from '../auth/principals.js';

export interface RequestContext {
  readonly method: string;
  /** Decoded path without the query string. */
  readonly path: string;
  /** The URL as the caller addressed it (emulator endpoint + path + query). */
  readonly url: string;
  readonly apiVersion: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly principal: Principal;
  readonly claims: TokenClaims;
  /** `x-ms-correlation-request-id` (given or generated), as ARM events carry it. */
  readonly correlationId: string;
  readonly clientRequestId: string;
  readonly clientIp: string;
}
