/**
 * A table client whose table is created on first use, once per process. A failed creation is not
 * remembered, so the next call tries again (the same rule as `lazy`).
 */
import type { TableClient } from '@azure/data-tables';
import { storeFailure } from './storage-errors.js';

export type LazyTable = () => Promise<TableClient>;

export function lazyTable(client: TableClient): LazyTable {
  let ready: Promise<TableClient> | undefined;
  return () => {
    ready ??= client.createTable().then(
      () => client,
      (error: unknown) => {
        ready = undefined;
        throw storeFailure(error, `table ${client.tableName}`);
      },
    );
    return ready;
  };
}

/** Every entity a query returns, all pages. */
export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) out.push(item);
  return out;
}
