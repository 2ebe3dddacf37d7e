/**
 * How `npm start` runs the demo: after the banner, on the emulated world only, unless `--no-demo`
 * or `CONNECTOR_DEMO=off`. It runs beside the world, never in its way: the world is already up
 * when it starts, and stopping npm start aborts it without waiting for it. While it runs, the host's
 * and the emulators' log lines go to a file (they would bury the narration), and back to the
 * console after.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoReport, runDemo } from './demo.js';
import { shownPath } from './emulated-services.js';
import { endpointsPath } from './endpoints.js';
import type { LocalWorld } from './local-world.js';

/** `--no-demo`, or CONNECTOR_DEMO set to off / 0 / false / no, turn the demo off. */
export function demoWanted(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (argv.includes('--no-demo')) return false;
  return !/^(off|0|false|no)$/i.test((env['CONNECTOR_DEMO'] ?? '').trim());
}

/** Where log lines go: the console, or for a while a file (written synchronously: nothing is lost on exit). */
export class LogRoute {
  private fd: number | undefined;

  readonly log = (line: string): void => {
    if (this.fd === undefined) console.log(line);
    else writeSync(this.fd, `${line}\n`);
  };

  toFile(path: string): void {
    this.toConsole();
    this.fd = openSync(path, 'w', 0o600);
  }

  toConsole(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface RunningDemo {
  /** Aborts the demo (Ctrl-C); the world stops without waiting for it. */
  abort(): void;
  readonly done: Promise<DemoReport | undefined>;
}

export function startDemo(world: LocalWorld, localDir: string, logs: LogRoute): RunningDemo | undefined {
  const arm = world.emulators.arm;
  if (world.mode !== 'emulated' || arm === undefined) return undefined;
  const controller = new AbortController();
  const logPath = join(localDir, 'host.log');
  console.log(
    `Demo (npm start --no-demo or CONNECTOR_DEMO=off to skip; Ctrl-C stops it and everything). ` +
      `Host and emulator logs go to ${shownPath(logPath)} until it ends.`,
  );
  logs.toFile(logPath);
  const done = runDemo({
    endpoints: world.endpoints,
    endpointsPath: endpointsPath(localDir),
    // You, signed in to the emulated ARM, as `az login` would make you.
    credential: arm.credential({ displayName: 'you (npm start demo)', type: 'User' }),
    kubeDir: join(localDir, 'kube'),
    print: (line) => console.log(line),
    signal: controller.signal,
  })
    .catch((error: unknown) => {
      if (!controller.signal.aborted)
        console.log(`The demo stopped: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    })
    .finally(() => {
      logs.toConsole();
      if (!controller.signal.aborted)
        console.log(`Host and emulator logs follow (the demo's are in ${shownPath(logPath)}).\n`);
    });
  return { abort: () => controller.abort(), done };
}
