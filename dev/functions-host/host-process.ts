/**
 * Entry point of the host process (`startFunctionsHost` spawns it, like `func start` runs the
 * host). It waits for its configuration on the IPC channel, starts the runtime and reports
 * `ready` (or `failed`). SIGTERM, SIGINT, a `stop` message, or the parent going away (the IPC
 * channel closing) shut it down gracefully, then it exits 0.
 */
import type { HostMessage, ParentMessage } from './protocol.js';
import { type HostRuntime, startHostRuntime } from './host-runtime.js';

const configurationErrors = new Set([
  'AppLoadError',
  'AppSettingError',
  'ConnectionError',
  'HostJsonError',
  'NcrontabError',
  'RegistrationError',
  'RouteTemplateError',
]);

let runtime: HostRuntime | undefined;
let stopping: Promise<void> | undefined;

function send(message: HostMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) resolve();
    else process.send(message, () => resolve());
  });
}

function write(line: string, isError: boolean): void {
  (isError ? process.stderr : process.stdout).write(`${line}\n`);
}

function stop(): Promise<void> {
  stopping ??= (async () => {
    try {
      await runtime?.shutdown();
    } catch (error) {
      write(`Shutdown failed: ${(error as Error).message}`, true);
    }
    if (process.connected) process.disconnect();
    process.exit(0);
  })();
  return stopping;
}

async function start(message: ParentMessage): Promise<void> {
  if (message.type === 'stop') return await stop();
  try {
    runtime = await startHostRuntime(message.config, write);
    await send({
      type: 'ready',
      port: runtime.port,
      httpsPort: runtime.httpsPort,
      functions: runtime.functions,
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    // Configuration errors explain themselves; anything else gets its stack.
    const explained = error instanceof Error && configurationErrors.has(error.name);
    write(`The host failed to start: ${explained || !(error instanceof Error) ? text : error.stack}`, true);
    await send({ type: 'failed', message: text });
    process.exit(1);
  }
}

process.on('message', (message: ParentMessage) => void start(message));
process.once('disconnect', () => void stop());
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());
