/** Starting the local host on a fixture app, with its own keys file and captured logs. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FunctionsHost,
  type FunctionsHostOptions,
  startFunctionsHost,
} from '../../dev/functions-host/index.js';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export interface TestHost extends FunctionsHost {
  /** Every log line the host printed so far. */
  readonly logs: string[];
  /** A temporary folder for this host (keys file, markers), removed by stop(). */
  readonly dir: string;
}

export async function startTestHost(
  app: string,
  env: Record<string, string> = {},
  options: Partial<FunctionsHostOptions> = {},
): Promise<TestHost> {
  const dir = await mkdtemp(join(tmpdir(), 'functions-host-test-'));
  const logs: string[] = [];
  try {
    const host = await startFunctionsHost({
      appDir: fixture(app),
      keysFile: join(dir, 'host-keys.json'),
      env,
      onLog: (line) => logs.push(line),
      ...options,
    });
    return {
      ...host,
      logs,
      dir,
      async stop() {
        await host.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Re-reads until `done` holds, failing with the last value after `timeoutMs`. */
export async function pollUntil<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The yearly schedules that keep the fixture app's timers quiet unless a test wants them. */
export const quietTimers = { StartupSchedule: '0 0 0 1 1 *', FastSchedule: '0 0 0 1 1 *' };

/** The first output a child prints; fails if the child exits first. */
export async function printedLine(child: ChildProcess): Promise<string> {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the script exited with ${String(code)} before printing anything`);
  });
  const [chunk] = (await Promise.race([once(child.stdout as NodeJS.ReadableStream, 'data'), exited])) as [
    Buffer,
  ];
  return chunk.toString().trim();
}
