/**
 * Host-port allocation and webhook benchmarks (ADR 0040), against a real Azurite:
 *
 * 1. 10,000 allocations from 4 processes sharing one store: duplicates and throughput;
 * 2. the cost of one allocation (store round trips, wall time) with 0%, 50% and 95% of the range taken;
 * 3. the webhook handler's latency at 50 concurrent pod reviews, in process;
 * 4. the same over HTTP: 50 concurrent pod creations through the Kubernetes emulator's admission
 *    path calling the local host over HTTPS (hostports-http.ts).
 *
 * This module is also the worker of (1): run with `--hostports-worker`, it allocates and reports.
 */
import functions from '@azure/functions';
import { TableClient } from '@azure/data-tables';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startAzurite } from '../dev/azurite/index.js';
import { createHostPortWebhookHandler } from '../functions/hostport-webhook.js';
import type { HostPortStateStore } from '../shared/hostports/allocation-store.js';
import { createHostPortAllocator, type HostPortAllocator } from '../shared/hostports/allocator.js';
import { emptyBits, withBits } from '../shared/hostports/bitmap.js';
import { createTableHostPortStore } from '../shared/store/hostport-allocations.js';
import { createTableRegistrationStore } from '../shared/store/hostport-registrations.js';
import { webhookOverHttp } from './hostports-http.js';
import type { BenchSuite, BenchTable } from './types.js';

const workerFlag = '--hostports-worker';
/** Azurite through the shared harness (dev/azurite, ADR 0003). */
async function startTables(): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const azurite = await startAzurite();
  return { connectionString: azurite.connectionString, stop: () => azurite.stop() };
}

function client(connectionString: string): TableClient {
  return TableClient.fromConnectionString(connectionString, 'hostports', { allowInsecureConnection: true });
}

function store(connectionString: string): HostPortStateStore {
  return createTableHostPortStore(client(connectionString));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (n: number): string => n.toFixed(1);

async function pool(count: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

interface WorkerReport {
  ports: number[];
  attempts: number;
  storeCalls: number;
  startedAt: number;
  endedAt: number;
}

/** The worker side of the concurrency run: one process = one function instance. */
async function worker(): Promise<void> {
  const env = (name: string): string => process.env[name] ?? '';
  const allocator = createHostPortAllocator(store(env('BENCH_STORAGE')));
  const count = Number(env('BENCH_COUNT'));
  const report: WorkerReport = { ports: [], attempts: 0, storeCalls: 0, startedAt: Date.now(), endedAt: 0 };
  await pool(count, 16, async (i) => {
    const result = await allocator.allocate({
      partition: env('BENCH_PARTITION'),
      leaseId: `${env('BENCH_WORKER')}/pod-${i}`,
      namespace: env('BENCH_WORKER'),
      podName: `pod-${i}`,
      requests: [{ container: 'app', containerPort: 8080, protocol: 'TCP' }],
    });
    report.ports.push(result.ports[0]?.hostPort ?? -1);
    report.attempts += result.attempts;
    report.storeCalls += result.storeCalls;
  });
  report.endedAt = Date.now();
  process.stdout.write(JSON.stringify(report));
}

async function concurrency(connectionString: string): Promise<BenchTable> {
  const processes = 4;
  const perProcess = 2500;
  const partition = randomUUID().replace(/-/g, '');
  const reports = await Promise.all(
    Array.from(
      { length: processes },
      (_, i) =>
        new Promise<WorkerReport>((resolve, reject) => {
          const env = {
            ...process.env,
            BENCH_STORAGE: connectionString,
            BENCH_PARTITION: partition,
            BENCH_WORKER: `w${i}`,
            BENCH_COUNT: String(perProcess),
          };
          // execArgv carries the type-stripping flags when the suite runs from source.
          const args = [...process.execArgv, fileURLToPath(import.meta.url), workerFlag];
          const child = spawn(process.execPath, args, { env });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.pipe(process.stderr);
          child.once('exit', (code) =>
            code === 0
              ? resolve(JSON.parse(out) as WorkerReport)
              : reject(new Error(`worker ${i} exited ${code}`)),
          );
        }),
    ),
  );
  const ports = reports.flatMap((r) => r.ports);
  const seconds =
    (Math.max(...reports.map((r) => r.endedAt)) - Math.min(...reports.map((r) => r.startedAt))) / 1000;
  const attempts = reports.reduce((s, r) => s + r.attempts, 0);
  const calls = reports.reduce((s, r) => s + r.storeCalls, 0);
  const leases = await store(connectionString).listLeases(partition);
  return {
    title: `${ports.length} allocations from ${processes} processes sharing one store`,
    columns: [
      'allocations',
      'duplicates',
      'leases stored',
      'throughput (alloc/s)',
      'attempts per allocation',
      'store calls per allocation',
    ],
    rows: [
      [
        ports.length,
        ports.length - new Set(ports).size,
        leases.length,
        Math.round(ports.length / seconds),
        (attempts / ports.length).toFixed(2),
        (calls / ports.length).toFixed(2),
      ],
    ],
    notes: `Each process is one allocator (one function instance) with 16 allocations in flight, single-port pods, range 40000-59999 (so the run ends half full). Throughput is over the wall time from the first worker's start to the last one's end, process start-up excluded.`,
  };
}

/** Takes `fraction` of every block straight in the store (no leases), as a full cluster would. */
async function fill(target: HostPortStateStore, partition: string, fraction: number): Promise<void> {
  const taken = Math.round(100 * fraction);
  if (taken === 0) return;
  const bits = withBits(emptyBits(), Array.from({ length: taken }, (_, i) => (i * 7) % 100).sort(), []);
  await pool(200, 20, async (index) => {
    await target.commit(partition, [{ protocol: 'TCP', index, bits, etag: undefined }]);
  });
}

async function measure(
  allocator: HostPortAllocator,
  partition: string,
  prefix: string,
  count: number,
  other?: HostPortAllocator,
): Promise<{ calls: number[]; wall: number[] }> {
  const calls: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < count; i++) {
    const request = (who: string) => ({
      partition,
      leaseId: `${who}/pod-${i}`,
      namespace: who,
      podName: `pod-${i}`,
      requests: [{ container: 'app', containerPort: 8080, protocol: 'TCP' as const }],
    });
    // Another instance's writes make this instance's view stale, as in a scaled-out app.
    if (other !== undefined) for (let j = 0; j < 3; j++) await other.allocate(request(`${prefix}-other${j}`));
    const start = performance.now();
    const result = await allocator.allocate(request(prefix));
    wall.push(performance.now() - start);
    calls.push(result.storeCalls);
  }
  return { calls, wall: wall.sort((a, b) => a - b) };
}

async function costByFill(connectionString: string): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  for (const fraction of [0, 0.5, 0.95]) {
    for (const contended of [false, true]) {
      const target = store(connectionString);
      const partition = randomUUID().replace(/-/g, '');
      await fill(target, partition, fraction);
      const allocator = createHostPortAllocator(target);
      const cold = await measure(allocator, partition, 'cold', 1);
      const warm = await measure(
        allocator,
        partition,
        'warm',
        200,
        contended ? createHostPortAllocator(target) : undefined,
      );
      const meanCalls = warm.calls.reduce((a, b) => a + b, 0) / warm.calls.length;
      rows.push([
        `${fraction * 100}%`,
        contended ? 'yes' : 'no',
        cold.calls[0] ?? NaN,
        ms(cold.wall[0] ?? NaN),
        meanCalls.toFixed(2),
        Math.max(...warm.calls),
        ms(percentile(warm.wall, 50)),
        ms(percentile(warm.wall, 99)),
      ]);
    }
  }
  return {
    title: 'Cost of one allocation by how much of the range is taken',
    columns: [
      'range taken',
      'another instance writing',
      'cold: store calls',
      'cold: ms',
      'warm: store calls (mean)',
      'warm: store calls (max)',
      'warm: p50 ms',
      'warm: p99 ms',
    ],
    rows,
    notes: `Range 40000-59999 (200 blocks of 100 ports), each block filled to the given share before the run. Cold = the first allocation of a new instance (it loads the block view: one query). Warm = 200 sequential single-port allocations after it. "Another instance writing" interleaves 3 allocations by a second allocator before each measured one, so the measured instance's view is stale and it pays conflicts and re-reads. Store calls count every Table request (a transaction is one).`,
  };
}

/** The repository root, whether this runs compiled (dist/bench) or from source (bench). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const fixtureText = (): string =>
  readFileSync(path.join(projectRoot(), 'test/hostports/fixtures/admission-review-echoserver.json'), 'utf8');

function fixture(text: string): { request: { uid: string; object: unknown } } {
  return JSON.parse(text) as { request: { uid: string; object: unknown } };
}

async function webhookLatency(connectionString: string): Promise<BenchTable> {
  const registrations = createTableRegistrationStore(client(connectionString));
  const cluster = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/bench/providers/Microsoft.ContainerService/managedClusters/bench-${randomUUID()}`;
  const issued = await registrations.issue(cluster);
  const allocator = createHostPortAllocator(store(connectionString));
  const handler = createHostPortWebhookHandler(() => ({
    verify: (r, t) => registrations.verify(r, t),
    allocator,
  }));
  const params = { clusterRef: issued.registration.clusterRef, token: issued.token };
  const context = new functions.InvocationContext({ functionName: 'hostPortWebhook', logHandler: () => {} });
  const text = fixtureText();
  const review = async (): Promise<number> => {
    const body = fixture(text);
    body.request.uid = randomUUID();
    const request = new functions.HttpRequest({
      method: 'POST',
      url: `https://bench.example/api/${issued.path}`,
      body: { string: JSON.stringify(body) },
      params,
    });
    const start = performance.now();
    const response = await handler(request, context);
    const elapsed = performance.now() - start;
    const answer = response.jsonBody as { response?: { allowed?: boolean; patch?: string } };
    if (answer.response?.allowed !== true || answer.response.patch === undefined) {
      throw new Error(`review refused: ${JSON.stringify(response.jsonBody)}`);
    }
    return elapsed;
  };
  await Promise.all(Array.from({ length: 50 }, review)); // warm-up round: the view load, connections
  const rounds = 10;
  const latencies: number[] = [];
  const started = performance.now();
  for (let round = 0; round < rounds; round++)
    latencies.push(...(await Promise.all(Array.from({ length: 50 }, review))));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    title: 'Webhook handler latency at 50 concurrent pod reviews',
    columns: ['reviews', 'concurrency', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'reviews/s'],
    rows: [
      [
        latencies.length,
        50,
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 90)),
        ms(percentile(latencies, 99)),
        ms(latencies[latencies.length - 1] ?? NaN),
        Math.round(latencies.length / seconds),
      ],
    ],
    notes: `In-process handler calls (HttpRequest in, HttpResponseInit out) with the seed's echoserver AdmissionReview (2 TCP ports per pod): token verification (1 point read) + allocation + mutation + patch, against Azurite. ${rounds} rounds of 50 concurrent reviews after one warm-up round; one process, so all 50 share one allocator.`,
  };
}

export const hostPortsBench: BenchSuite = {
  name: 'hostports',
  async run() {
    const tables = await startTables();
    let inProcess: BenchTable[];
    try {
      inProcess = [
        await concurrency(tables.connectionString),
        await costByFill(tables.connectionString),
        await webhookLatency(tables.connectionString),
      ];
    } finally {
      await tables.stop();
    }
    // Its own world (Azurite, emulators, the host): nothing else runs while it measures.
    return [...inProcess, await webhookOverHttp(projectRoot())];
  },
};

if (process.argv.includes(workerFlag) && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await worker();
}
