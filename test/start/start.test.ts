import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type Endpoints, endpointsPath, readEndpoints } from '../../dev/world/endpoints.js';
import { isRunning, pollUntil } from '../functions-host/helpers.js';
import { listening } from '../world/helpers.js';

const startEntry = fileURLToPath(new URL('../../dist/dev/start.js', import.meta.url));

/** The API server URL in a kubeconfig file. */
function serverOf(kubeconfigPath: string): string {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc.getCurrentCluster()?.server ?? '';
}

/** Every process below `pid` (the host and Azurite run as children of npm start). */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [child, ppid] of table) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

describe('npm start', () => {
  it(
    'serves GET /api/health within 60 s on the emulated world, starts the demo, and SIGTERM in the middle of it leaves no process or port behind',
    { timeout: 120_000 },
    async () => {
      const localDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
      const output: string[] = [];
      const start = spawn(process.execPath, [startEntry], {
        env: { ...process.env, PORT: '0', CONNECTOR_LOCAL_DIR: localDir, AZURE_SUBSCRIPTION_ID: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [start.stdout, start.stderr])
        stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      let children: number[] = [];
      try {
        const endpoints = await pollUntil(
          async () => await readEndpoints(endpointsPath(localDir)).catch((): Endpoints => ({})),
          (e) => e.host !== undefined,
          60_000,
        );
        const url = endpoints.host?.url ?? '';
        const health = await fetch(`${url}/api/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: 'ok', backends: { emulators: true } });

        const keys = JSON.parse(await readFile(join(localDir, 'host-keys.json'), 'utf8')) as {
          functionKeys: { default: string };
        };
        expect(endpoints.host?.functionKey).toBe(keys.functionKeys.default);
        const banner = await pollUntil(
          () => output.join(''),
          (text) => text.includes(`curl -s "${url}/api/health"`),
        );

        // The emulators run inside npm start: ARM with the demo world, a cluster per demo cluster.
        const { arm, demo, kubernetes } = endpoints;
        expect(arm?.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const kubeconfigPath = kubernetes?.[demo?.clusterId ?? '']?.kubeconfigPath ?? '';
        const kc = new KubeConfig();
        kc.loadFromFile(kubeconfigPath);
        const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
        expect(namespaces.items.map((n) => n.metadata?.name)).toContain('default');
        expect(banner).toContain(`kubectl --kubeconfig `);
        expect(banner).toMatch(
          /curl -s -X PUT "[^"]+\/linkers\/demo_blob\?api-version=2024-04-01" -H "x-functions-key: /,
        );
        const ports = [url, endpoints.host?.httpsUrl ?? '', arm?.endpoint ?? '', serverOf(kubeconfigPath)];
        expect(await Promise.all(ports.map(listening))).toEqual([true, true, true, true]);

        // The demo runs after the banner; stopping npm start in the middle of it is a normal stop.
        await pollUntil(
          () => output.join(''),
          (text) => text.includes('Act 1 - '),
        );

        children = descendants(start.pid as number);
        expect(children.length).toBeGreaterThanOrEqual(2);
        start.kill('SIGTERM');
        const [code] = (await once(start, 'exit')) as [number | null];
        expect(code).toBe(0);
        const all = output.join('');
        const stopping = all.slice(all.indexOf('SIGTERM: stopping'));
        expect(stopping).toContain('Stopped.');
        expect(stopping).not.toMatch(/did not finish|The demo stopped/);
        // The banner prints keys; nothing after it does.
        expect(all.slice(all.indexOf('Demo (npm start'))).not.toContain(endpoints.host?.functionKey);
        expect(children.filter(isRunning)).toEqual([]);
        expect(await Promise.all(ports.map(listening))).toEqual([false, false, false, false]);
      } finally {
        start.kill('SIGKILL');
        for (const pid of children.filter(isRunning)) process.kill(pid, 'SIGKILL');
        await rm(localDir, { recursive: true, force: true });
      }
    },
  );
});
