/** Messages between `startFunctionsHost` (parent) and the host process over the IPC channel. */
import type { HostKeys } from './keys.js';

export interface HostProcessConfig {
  readonly appDir: string;
  readonly hostname: string;
  readonly port: number;
  readonly https?: { readonly port: number; readonly certPem: string; readonly keyPem: string };
  readonly keys: HostKeys;
  /** How long shutdown waits for running invocations before exiting anyway. */
  readonly shutdownTimeoutMs: number;
}

export interface HostedFunction {
  readonly name: string;
  /** Trigger binding type as registered, e.g. `httpTrigger`, `timerTrigger`, `queueTrigger`. */
  readonly trigger: string;
  /** For HTTP triggers: the URL template and methods (undefined = any). */
  readonly url?: string;
  readonly methods?: readonly string[];
  readonly authLevel?: string;
  /** For timers: the resolved schedule; for queues: the queue name. */
  readonly schedule?: string;
  readonly queueName?: string;
}

export type ParentMessage =
  { readonly type: 'start'; readonly config: HostProcessConfig } | { readonly type: 'stop' };

export type HostMessage =
  | {
      readonly type: 'ready';
      readonly port: number;
      readonly httpsPort: number | undefined;
      readonly functions: readonly HostedFunction[];
    }
  | { readonly type: 'failed'; readonly message: string };
