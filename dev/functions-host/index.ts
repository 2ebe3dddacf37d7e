/**
 * `startFunctionsHost`: runs an app in its own host process, as `func start` does, and resolves
 * once it serves. App settings are the parent's environment plus `<appDir>/local.settings.json`
 * `Values` (the environment wins, as in Core Tools) plus `env` (wins over both). Keys come from
 * the keys file (see keys.ts). The host process runs from the build output, so run `npm run build`
 * first (npm test and npm start do).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mergeAppSettings, readLocalSettingsValues } from './app-settings.js';
import { type HostKeys, loadOrCreateHostKeys } from './keys.js';
import type { HostedFunction, HostMessage, HostProcessConfig, ParentMessage } from './protocol.js';

export type { HostKeys } from './keys.js';
export type { HostedFunction } from './protocol.js';

export interface FunctionsHostOptions {
  /** The app: a folder with package.json (`main`), host.json and the built files `main` names. */
  readonly appDir: string;
  /** App settings for this run; they win over the environment and local.settings.json. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** HTTP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** HTTPS port when `https` is given; 0 (default) picks a free one. */
  readonly httpsPort?: number;
  readonly https?: { readonly certPem: string; readonly keyPem: string };
  /** Keys file (`az functionapp keys list` shape); default `<appDir>/.local/host-keys.json`. */
  readonly keysFile?: string;
  /** Address to bind; default 127.0.0.1. */
  readonly hostname?: string;
  /** Receives every log line of the host process; default: written to this process's stdout. */
  readonly onLog?: (line: string) => void;
  readonly startTimeoutMs?: number;
  /** How long a graceful stop waits for running invocations; default 10 s. */
  readonly shutdownTimeoutMs?: number;
}

export interface FunctionsHost {
  /** e.g. `http://127.0.0.1:7071` (no trailing slash). */
  readonly url: string;
  readonly httpsUrl: string | undefined;
  readonly keys: HostKeys;
  readonly functions: readonly HostedFunction[];
  /** The host process id (for checks that nothing is left running). */
  readonly pid: number;
  /** Graceful stop (SIGTERM); SIGKILL if it does not exit in time. Resolves once the process is gone. */
  stop(): Promise<void>;
}

export class FunctionsHostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionsHostError';
  }
}

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new FunctionsHostError('Cannot find the project root (package.json)');
    dir = parent;
  }
  return dir;
}

/** The compiled host process entry; the host always runs from dist/, also under vitest. */
export function hostProcessEntry(): string {
  const entry = join(projectRoot(), 'dist', 'dev', 'functions-host', 'host-process.js');
  if (!existsSync(entry)) throw new FunctionsHostError(`${entry} is missing: run \`npm run build\` first`);
  return entry;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

export async function startFunctionsHost(options: FunctionsHostOptions): Promise<FunctionsHost> {
  const appDir = resolve(options.appDir);
  const keys = await loadOrCreateHostKeys(options.keysFile ?? join(appDir, '.local', 'host-keys.json'));
  const settings = mergeAppSettings(await readLocalSettingsValues(appDir), process.env, {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    ...options.env,
  });
  const onLog = options.onLog ?? ((line: string) => process.stdout.write(`${line}\n`));
  const child = spawn(process.execPath, [hostProcessEntry()], {
    cwd: appDir,
    env: settings,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = waitForExit(child);
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      onLog(line);
    });
  }

  const hostname = options.hostname ?? '127.0.0.1';
  const config: HostProcessConfig = {
    appDir,
    hostname,
    port: options.port ?? 0,
    ...(options.https && { https: { port: options.httpsPort ?? 0, ...options.https } }),
    keys,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
  };
  const shutdownTimeoutMs = config.shutdownTimeoutMs;
  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), shutdownTimeoutMs + 5_000);
    await exited;
    clearTimeout(killer);
  }

  const ready = await new Promise<Extract<HostMessage, { type: 'ready' }>>((resolveReady, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(
      () => reject(new FunctionsHostError(`The host did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.on('message', (message: HostMessage) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolveReady(message);
      else reject(new FunctionsHostError(`The host failed to start: ${message.message}`));
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new FunctionsHostError(`The host process exited during start:\n${recent.join('\n')}`));
    });
    child.send({ type: 'start', config } satisfies ParentMessage);
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const base = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}`;
  return {
    url: `${base}:${ready.port}`,
    httpsUrl: ready.httpsPort === undefined ? undefined : `https://${base.slice(7)}:${ready.httpsPort}`,
    keys,
    functions: ready.functions,
    pid: child.pid as number,
    stop,
  };
}
