import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoAssignRange } from '../../shared/hostports/types.js';
import { startAzuriteTables, type AzuriteTables } from './azurite.js';
import { runTypeScript } from './run-typescript.js';
import { freshPartition, hostPortStore, takenPorts } from './store-helpers.js';

let azurite: AzuriteTables;
beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(async () => {
  await azurite?.stop();
});

interface WorkerReport {
  worker: string;
  ports: number[];
  attempts: number;
}

describe('allocation from separate processes', () => {
  // The full size (10,000 from 4 processes) runs in the benchmark; this keeps the suite fast.
  const processes = 4;
  const perProcess = 100;

  it(`hands out ${processes * perProcess} distinct ports to ${processes} processes sharing one store`, async () => {
    const partition = freshPartition();
    const runs = await Promise.all(
      Array.from({ length: processes }, (_, i) =>
        runTypeScript(new URL('./allocation-worker.ts', import.meta.url), {
          WORKER_STORAGE: azurite.connectionString,
          WORKER_TABLE: 'hostports',
          WORKER_NAME: `w${i}`,
          WORKER_PARTITION: partition,
          WORKER_COUNT: String(perProcess),
          WORKER_WIDTH: '8',
        }),
      ),
    );
    for (const run of runs) expect(run.stderr).toBe('');
    expect(runs.map((r) => r.code)).toEqual(new Array(processes).fill(0));
    const reports = runs.map((r) => JSON.parse(r.stdout.trim()) as WorkerReport);
    const ports = reports.flatMap((r) => r.ports);
    expect(ports).toHaveLength(processes * perProcess);
    expect(ports.length - new Set(ports).size).toBe(0); // duplicates
    expect(ports.every((p) => p >= autoAssignRange.start && p <= autoAssignRange.end)).toBe(true);

    const store = hostPortStore(azurite);
    expect(await takenPorts(store, partition, 'TCP', autoAssignRange)).toEqual(
      [...ports].sort((a, b) => a - b),
    );
    const leases = await store.listLeases(partition);
    expect(leases).toHaveLength(processes * perProcess);
    expect(new Set(leases.map((l) => l.ports[0]?.hostPort)).size).toBe(processes * perProcess);
  });
});
