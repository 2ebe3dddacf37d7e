/** Wiring for the Azurite-backed host-port suites: one Azurite per test file, one partition per test. */
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import type { HostPortStateStore } from '../../shared/hostports/allocation-store.js';
import { layoutOf, setBitsOf, blockCapacity } from '../../shared/hostports/bitmap.js';
import type { HostPortRequest, PortInterval, Protocol } from '../../shared/hostports/types.js';
import { createTableHostPortStore } from '../../shared/store/hostport-allocations.js';
import type { AzuriteTables } from './azurite.js';

export function tableClient(azurite: AzuriteTables, table: string, maxRetries?: number): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, table, {
    allowInsecureConnection: true,
    ...(maxRetries === undefined ? {} : { retryOptions: { maxRetries } }),
  });
}

export function hostPortStore(azurite: AzuriteTables, table = 'hostports'): HostPortStateStore {
  return createTableHostPortStore(tableClient(azurite, table));
}

/** A partition of its own for each test: tests share the Azurite but never their state. */
export function freshPartition(): string {
  return randomUUID().replace(/-/g, '');
}

export function tcp(containerPort: number, container = 'app'): HostPortRequest {
  return { container, containerPort, protocol: 'TCP' };
}

export function udp(containerPort: number, container = 'app'): HostPortRequest {
  return { container, containerPort, protocol: 'UDP' };
}

/** Every port the stored bitmap marks as taken, read straight from the store. */
export async function takenPorts(
  store: HostPortStateStore,
  partition: string,
  protocol: Protocol,
  range: PortInterval,
): Promise<number[]> {
  const layout = layoutOf(range);
  const blocks = await store.readBlocks(partition, protocol);
  return blocks
    .flatMap((b) =>
      setBitsOf(b.bits, blockCapacity(layout, b.index)).map((bit) => range.start + b.index * 100 + bit),
    )
    .sort((a, b) => a - b);
}

/** Runs `count` calls of `f` with at most `width` in flight. */
export async function inParallel<T>(
  count: number,
  width: number,
  f: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await f(i);
      }
    }),
  );
  return results;
}
