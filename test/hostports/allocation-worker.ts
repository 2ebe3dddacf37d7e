/**
 * One "function instance" for the concurrency test: its own process, its own allocator and view,
 * allocating COUNT single-port leases (WIDTH at a time) in one cluster partition. Prints one JSON
 * line: the host ports it was given and how many attempts that took.
 */
import { TableClient } from '@azure/data-tables';
import { createHostPortAllocator } from '../../shared/hostports/allocator.js';
import { createTableHostPortStore } from '../../shared/store/hostport-allocations.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const client = TableClient.fromConnectionString(env('WORKER_STORAGE'), env('WORKER_TABLE'), {
  allowInsecureConnection: true,
});
const allocator = createHostPortAllocator(createTableHostPortStore(client));
const worker = env('WORKER_NAME');
const partition = env('WORKER_PARTITION');
const count = Number(env('WORKER_COUNT'));
const width = Number(env('WORKER_WIDTH'));

const ports: number[] = [];
let attempts = 0;
let next = 0;
await Promise.all(
  Array.from({ length: width }, async () => {
    while (next < count) {
      const i = next++;
      const result = await allocator.allocate({
        partition,
        leaseId: `${worker}/pod-${i}`,
        namespace: worker,
        podName: `pod-${i}`,
        requests: [{ container: 'app', containerPort: 8080, protocol: 'TCP' }],
      });
      ports.push(result.ports[0]?.hostPort ?? -1);
      attempts += result.attempts;
    }
  }),
);
console.log(JSON.stringify({ worker, ports, attempts }));
