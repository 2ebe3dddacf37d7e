/**
 * Starts Azurite's Table service on a free port in a temp folder, as a child process (so its work
 * does not compete with the test's event loop). Interim helper for the host-port suites until the
 * shared dev/azurite harness lands; it speaks only the public CLI of the azurite package.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StorageSettings } from '../../shared/runtime/settings.js';

export interface AzuriteTables {
  readonly connectionString: string;
  readonly storage: StorageSettings;
  stop(): Promise<void>;
}

/** Azurite's well-known development account (public, documented; not a secret). */
const devAccount = 'devstoreaccount1';
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForStart(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('successfully started')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`azurite exited with ${code}: ${output}`)));
  });
}

export async function startAzuriteTables(): Promise<AzuriteTables> {
  const location = await mkdtemp(path.join(tmpdir(), 'hostports-azurite-'));
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        main,
        '--tableHost',
        '127.0.0.1',
        '--tablePort',
        String(port),
        '--inMemoryPersistence',
        '--disableTelemetry',
      ],
      // In memory, so the folder only catches anything Azurite might still write to its cwd.
      { cwd: location, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitForStart(child);
    } catch (error) {
      if (attempt >= 3) throw error; // another process took the port between probe and listen
      continue;
    }
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};TableEndpoint=http://127.0.0.1:${port}/${devAccount};`;
    return {
      connectionString,
      storage: { kind: 'connectionString', connectionString },
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        await rm(location, { recursive: true, force: true });
      },
    };
  }
}
