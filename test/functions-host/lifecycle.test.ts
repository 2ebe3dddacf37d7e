import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, isRunning, pollUntil, printedLine, quietTimers, startTestHost } from './helpers.js';

const builtHostModule = fileURLToPath(new URL('../../dist/dev/functions-host/index.js', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'host-lifecycle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the local host process', () => {
  it('shuts down gracefully: running invocations finish, appTerminate runs, no process is left', async () => {
    const marker = join(dir, 'terminated.txt');
    const host = await startTestHost('http-app', { ...quietTimers, TERMINATE_MARKER: marker });
    const slow = fetch(`${host.url}/api/slow?ms=1500`);
    await pollUntil(() => host.logs.some((l) => l.includes('sleeping 1500 ms')), Boolean);
    await host.stop();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('done');
    expect(await readFile(marker, 'utf8')).toBe('appTerminate ran');
    expect(isRunning(host.pid)).toBe(false);
  });

  it('exits when the process that started it dies', async () => {
    const script = `
      import { startFunctionsHost } from ${JSON.stringify(builtHostModule)};
      const host = await startFunctionsHost({
        appDir: ${JSON.stringify(fixture('http-app'))},
        keysFile: ${JSON.stringify(join(dir, 'orphan-keys.json'))},
        env: ${JSON.stringify(quietTimers)},
        onLog: () => {},
      });
      console.log(host.pid);
      setInterval(() => {}, 1000);
    `;
    const parent = execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
    try {
      const hostPid = Number(await printedLine(parent));
      expect(isRunning(hostPid)).toBe(true);
      parent.kill('SIGKILL');
      await pollUntil(
        () => isRunning(hostPid),
        (running) => !running,
      );
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('fails clearly when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(startTestHost('http-app', quietTimers, { port })).rejects.toThrow(
        `HTTP port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      blocker.close();
    }
  });

  it('fails clearly when an entry point cannot be loaded', async () => {
    await expect(startTestHost('broken-app')).rejects.toThrow(
      'Worker was unable to load entry point "functions/throws.js": cannot start: missing configuration',
    );
  });
});
