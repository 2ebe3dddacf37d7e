/**
 * TemplateStore over Azure Table Storage (`templates` table, PartitionKey `template`, RowKey the
 * lower-cased template name). The connection part is chunked JSON like a connection's spec.
 */
import { odata } from '@azure/data-tables';
import { TerminalError } from '../errors/index.js';
import type { StoredTemplate, TemplateRecord, TemplateSpec } from '../model/template.js';
import type { TemplateSelector } from '../model/template-match.js';
import { readJsonChunks, storeLimits, writeChunks } from './chunked.js';
import { collect, type LazyTable } from './lazy-table.js';
import type { RemoveResult, TemplateStore, WriteResult } from './ports.js';
import { guarded, storeFailure } from './storage-errors.js';
import { nameKey } from './table-keys.js';

export const templatePartition = 'template';

const conflict: WriteResult = { ok: false, reason: 'conflict' };

export function templateToEntity(
  record: TemplateRecord,
): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const entity = {
    partitionKey: templatePartition,
    rowKey: nameKey(record.name),
    schema: 1,
    name: record.name,
    revision: record.revision,
    createdAt: record.createdAt,
    lastModifiedAt: record.lastModifiedAt,
    selector: JSON.stringify(record.spec.selector),
  };
  writeChunks(entity, 'connection', JSON.stringify(record.spec.connection), storeLimits.specChars);
  return entity;
}

export function entityToTemplate(entity: Readonly<Record<string, unknown>>): StoredTemplate {
  const field = (key: string): string => {
    const value = entity[key];
    if (typeof value !== 'string')
      throw new TerminalError(`Stored template has no '${key}'.`, { reason: 'CorruptRecord' });
    return value;
  };
  const connection = readJsonChunks<TemplateSpec['connection'] | undefined>(entity, 'connection', undefined);
  if (connection === undefined)
    throw new TerminalError('Stored template has no connection.', { reason: 'CorruptRecord' });
  return {
    name: field('name'),
    spec: { selector: JSON.parse(field('selector')) as TemplateSelector, connection },
    revision: field('revision'),
    createdAt: field('createdAt'),
    lastModifiedAt: field('lastModifiedAt'),
    storeEtag: field('etag'),
  };
}

export function createTableTemplateStore(table: LazyTable): TemplateStore {
  return {
    async get(name) {
      const client = await table();
      const read = await guarded(
        'a template',
        () => client.getEntity(templatePartition, nameKey(name)),
        [404],
      );
      return read.ok ? entityToTemplate(read.value) : undefined;
    },

    async list() {
      const client = await table();
      const filter = odata`PartitionKey eq ${templatePartition}`;
      try {
        const entities = await collect(client.listEntities({ queryOptions: { filter } }));
        return entities
          .map(entityToTemplate)
          .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
      } catch (error) {
        if (error instanceof TerminalError) throw error;
        throw storeFailure(error, 'the templates');
      }
    },

    async save(record, expected) {
      const entity = templateToEntity(record);
      const client = await table();
      if ('absent' in expected) {
        const created = await guarded('a new template', () => client.createEntity(entity), [409]);
        return created.ok ? { ok: true, storeEtag: created.value.etag ?? '' } : conflict;
      }
      const updated = await guarded(
        'a template',
        () => client.updateEntity(entity, 'Replace', { etag: expected.storeEtag }),
        [404, 412],
      );
      return updated.ok ? { ok: true, storeEtag: updated.value.etag ?? '' } : conflict;
    },

    async remove(name, storeEtag): Promise<RemoveResult> {
      const client = await table();
      const removed = await guarded(
        'a template',
        () => client.deleteEntity(templatePartition, nameKey(name), { etag: storeEtag }),
        [404, 412],
      );
      if (removed.ok) return 'removed';
      return removed.status === 404 ? 'absent' : 'conflict';
    },
  };
}
