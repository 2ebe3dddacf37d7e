/**
 * The Table Storage adapters of the store ports, built from settings. Table names are fixed in
 * production (docs/architecture.md "Tables"); tests may pass others.
 */
import type { StorageSettings } from '../runtime/settings.js';
import { createTableClient } from './clients.js';
import { lazyTable } from './lazy-table.js';
import type { ConnectorStore } from './ports.js';
import { createTableConnectionStore } from './table-connection-store.js';
import { createTableOperationStore } from './table-operation-store.js';
import { createTableTemplateStore } from './table-template-store.js';

export interface TableNames {
  readonly connections: string;
  readonly templates: string;
  readonly operations: string;
}

export const tableNames: TableNames = {
  connections: 'connections',
  templates: 'templates',
  operations: 'operations',
};

export function createTableConnectorStore(
  settings: StorageSettings,
  names: TableNames = tableNames,
): ConnectorStore {
  return {
    connections: createTableConnectionStore(lazyTable(createTableClient(settings, names.connections))),
    templates: createTableTemplateStore(lazyTable(createTableClient(settings, names.templates))),
    operations: createTableOperationStore(lazyTable(createTableClient(settings, names.operations))),
  };
}
