import type { Logger } from '../../runtime/logger.js';
import type { ConnectorStore, WorkQueue } from '../../store/ports.js';
import type { SecretCipher } from '../secret-cipher.js';

/** What the API core needs from the process (built once, lazily, in shared/runtime). */
export interface ApiDeps {
  readonly store: ConnectorStore;
  readonly queue: WorkQueue;
  /** Undefined when CONNECTOR_SECRET_KEY is not set: raw secrets are then refused. */
  readonly cipher: SecretCipher | undefined;
  /** CONNECTOR_PUBLIC_BASE_URL, when set. */
  readonly publicBaseUrl: string | undefined;
  readonly clock: () => Date;
  /** New operation ids and revisions (random UUIDs). */
  readonly newId: () => string;
}

/** Per invocation. */
export interface CallContext {
  readonly logger: Logger;
  /** The invocation id, returned as `x-ms-request-id`. */
  readonly requestId: string;
}
