import { KubeError, errors } from '../api/status.js';
import { obj, type JsonObject } from '../core/json.js';
import { isPrefixOf, pathToString, removeAt, type PathSet } from './fieldset.js';
import {
  changedPaths,
  readManagedFields,
  sameManager,
  trackedSet,
  writeManagedFields,
  type ManagedEntry,
} from './managed-fields.js';
import { mergeApplied } from './merge.js';
import type { SchemaNode } from './schema.js';

export interface ApplyRequest {
  readonly manager: string;
  readonly apiVersion: string;
  readonly force: boolean;
  readonly subresource?: string;
  readonly hasStatus: boolean;
  readonly schema: SchemaNode;
  readonly now: string;
  /** For messages: `apps/v1, Kind=Deployment`. */
  readonly gvk: string;
}

/** printManager of the API server's conflict errors. */
function printManager(e: ManagedEntry): string {
  const name = JSON.stringify(e.manager);
  const withSub =
    e.subresource === undefined ? name : `${name} with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === 'Update' ? `${withSub} using ${e.apiVersion}` : withSub;
}

/** The identifier string managers are sorted by (the JSON of the entry's identity). */
function managerId(e: ManagedEntry): string {
  const id: JsonObject = { manager: e.manager, operation: e.operation };
  if (e.operation === 'Update') id.apiVersion = e.apiVersion;
  if (e.subresource !== undefined) id.subresource = e.subresource;
  return JSON.stringify(id);
}

function conflictError(conflicts: { entry: ManagedEntry; path: string }[]): KubeError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: pathToString(c.path),
  }));
  let message: string;
  const first = conflicts[0];
  if (conflicts.length === 1 && first !== undefined) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(first.entry)}: ${pathToString(first.path)}`;
  } else {
    const byManager = new Map<string, { entry: ManagedEntry; paths: string[] }>();
    for (const c of conflicts) {
      const id = managerId(c.entry);
      const group = byManager.get(id) ?? { entry: c.entry, paths: [] };
      group.paths.push(c.path);
      byManager.set(id, group);
    }
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort()) {
      const group = byManager.get(id);
      if (group === undefined) continue;
      lines.push(`conflicts with ${printManager(group.entry)}:`);
      for (const p of group.paths) lines.push(`- ${pathToString(p)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new KubeError(409, 'Conflict', message, { causes });
}

/**
 * Server-side apply of `config` by `req.manager` onto `live` (undefined when creating): merges,
 * detects conflicts with other managers, honours `force`, removes fields this manager stopped
 * applying that nobody else owns, and records the manager's new field set as an Apply entry.
 */
export function serverSideApply(
  live: JsonObject | undefined,
  config: JsonObject,
  req: ApplyRequest,
): JsonObject {
  if (obj(config.metadata)?.managedFields !== undefined) {
    throw errors.badRequest('metadata.managedFields must be nil');
  }
  let configSet: PathSet;
  let merged: JsonObject;
  try {
    configSet = trackedSet(config, req.schema, req.subresource, req.hasStatus);
    merged = mergeApplied(live ?? {}, config, req.schema) as JsonObject;
  } catch (e) {
    if (e instanceof KubeError)
      throw errors.badRequest(`failed to create typed patch object (${req.gvk}): ${e.message}`);
    throw e;
  }
  const entries = live === undefined ? [] : readManagedFields(live);
  const id = {
    manager: req.manager,
    operation: 'Apply' as const,
    apiVersion: req.apiVersion,
    subresource: req.subresource,
  };
  const mine = entries.find((e) => sameManager(e, id));
  const others = entries.filter((e) => e !== mine);

  const changed = changedPaths(live, merged, configSet, req.schema);
  const conflicts: { entry: ManagedEntry; path: string }[] = [];
  for (const e of others) {
    for (const p of [...e.set].sort()) if (changed.has(p)) conflicts.push({ entry: e, path: p });
  }
  if (conflicts.length > 0 && !req.force) throw conflictError(conflicts);
  for (const c of conflicts) c.entry.set.delete(c.path);

  // Fields this manager applied before and dropped now go away unless someone else owns them.
  // Another manager's field at or below the path keeps it (and its parents) in place.
  const ownedByOthers = (p: string): boolean => others.some((e) => [...e.set].some((q) => isPrefixOf(p, q)));
  const dropped = [...(mine?.set ?? [])].filter((p) => !configSet.has(p) && !ownedByOthers(p));
  dropped.sort((a, b) => b.length - a.length);
  for (const p of dropped) removeAt(merged, p, req.schema);

  const next: ManagedEntry = { ...id, time: req.now, set: configSet };
  if (req.subresource === undefined) delete next.subresource;
  const result = mine === undefined ? [...others, next] : entries.map((e) => (e === mine ? next : e));
  writeManagedFields(merged, result);
  return merged;
}
