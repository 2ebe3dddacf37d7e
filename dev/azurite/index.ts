/**
 * `startAzurite`: Microsoft's storage emulator (npm `azurite`) on free loopback ports, with its
 * data in a fresh temporary folder. It runs as a child process (see ADR 0003): Azurite's many
 * dependencies stay out of the caller's process, a stop is a plain SIGTERM, and a parent that dies
 * takes Azurite with it. `stop()` resolves when the process is gone and the folder removed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The emulator's well-known development account (public, documented by Microsoft). */
export const devStoreAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;

export interface AzuriteOptions {
  /** Receives Azurite's output lines; default: dropped (Azurite runs with --silent). */
  readonly onLog?: (line: string) => void;
  readonly startTimeoutMs?: number;
}

export interface Azurite {
  /** `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;BlobEndpoint=...;...` */
  readonly connectionString: string;
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  readonly tableEndpoint: string;
  /** The temporary data folder (removed by stop). */
  readonly location: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export class AzuriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AzuriteError';
  }
}

function processEntry(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new AzuriteError('Cannot find the project root (package.json)');
    dir = parent;
  }
  const entry = join(dir, 'dist', 'dev', 'azurite', 'azurite-process.js');
  if (!existsSync(entry)) throw new AzuriteError(`${entry} is missing: run \`npm run build\` first`);
  return entry;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

export function azuriteConnectionString(endpoints: { blob: string; queue: string; table: string }): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${devStoreAccount.name}`,
    `AccountKey=${devStoreAccount.key}`,
    `BlobEndpoint=${endpoints.blob}`,
    `QueueEndpoint=${endpoints.queue}`,
    `TableEndpoint=${endpoints.table}`,
  ].join(';');
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const location = await mkdtemp(join(tmpdir(), 'azurite-'));
  const args = ['--silent', '--disableTelemetry', '--skipApiVersionCheck', '--location', location];
  for (const service of ['blob', 'queue', 'table'])
    args.push(`--${service}Host`, '127.0.0.1', `--${service}Port`, '0');
  const child = spawn(process.execPath, [processEntry(), ...args], {
    env: { ...process.env, AZURITE_TEMPORARY_LOCATION: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = exitOf(child);
  const listening = new Map<string, string>();
  const output: string[] = [];

  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
    await rm(location, { recursive: true, force: true });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const timeoutMs = options.startTimeoutMs ?? 60_000;
      const timer = setTimeout(
        () => reject(new AzuriteError(`Azurite did not start within ${timeoutMs} ms`)),
        timeoutMs,
      );
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
          output.push(line);
          if (output.length > 50) output.shift();
          options.onLog?.(line);
          const match = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(line);
          if (match?.[1] !== undefined && match[2] !== undefined)
            listening.set(match[1].toLowerCase(), match[2]);
          if (listening.size === 3) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      void exited.then(() => {
        clearTimeout(timer);
        reject(new AzuriteError(`Azurite exited during start:\n${output.slice(-20).join('\n')}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const endpoint = (service: string) => `${listening.get(service) as string}/${devStoreAccount.name}`;
  const endpoints = { blob: endpoint('blob'), queue: endpoint('queue'), table: endpoint('table') };
  return {
    connectionString: azuriteConnectionString(endpoints),
    blobEndpoint: endpoints.blob,
    queueEndpoint: endpoints.queue,
    tableEndpoint: endpoints.table,
    location,
    pid: child.pid as number,
    stop,
  };
}
