/**
 * Connection templates (ADR 0033, 0081): every template whose selector matches the cluster (its
 * id, tags and kind as just read) has its connection on the cluster, written as an API PUT would
 * (an operation, `acceptPut`, a conditional save) and remembered in the connection's inventory
 * with the template revision it came from. A changed template updates the connections it created;
 * a connection of the same name that a person created is never taken over (reported instead), and
 * one being deleted is left to its deletion.
 */
import type { ArmRead } from '../../azure/ports.js';
import { acceptPut, type ConnectionRecord, type StoredConnection } from '../../model/connection.js';
import { supersededError } from '../../model/operation.js';
import { linkerId, type ClusterKind } from '../../model/source.js';
import { templateMatchesCluster } from '../../model/template-match.js';
import type { StoredTemplate } from '../../model/template.js';
import { readInventory, writeInventory } from './inventory.js';
import { failed, type Run } from './run.js';
import type { StepReport } from './types.js';

export interface TemplateScope {
  readonly clusterId: string;
  readonly kind: ClusterKind;
  readonly cluster: ArmRead;
  readonly connections: readonly StoredConnection[];
  /** Every template (listed alongside the cluster read). */
  readonly templates: readonly StoredTemplate[];
}

export interface TemplateResult {
  readonly connections: StoredConnection[];
  /** Cluster-level reports (a template whose connection name is taken). */
  readonly reports: StepReport[];
}

export async function applyTemplates(run: Run, scope: TemplateScope): Promise<TemplateResult> {
  const { logger } = run.deps;
  const templates = scope.templates;
  const facts = { id: scope.clusterId, tags: scope.cluster.body.tags, kind: scope.kind };
  const connections = [...scope.connections];
  const reports: StepReport[] = [];
  for (const template of templates.filter((t) => templateMatchesCluster(t.spec.selector, facts))) {
    const name = template.spec.connection.name;
    const index = connections.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    const existing = index < 0 ? undefined : connections[index];
    const origin = existing === undefined ? undefined : readInventory(existing.inventory).template;
    if (existing !== undefined && origin?.name.toLowerCase() !== template.name.toLowerCase()) {
      reports.push(
        failed(
          `Template:${template.name}`,
          'TemplateConnectionNameTaken',
          `The cluster already has a connection named '${existing.name}' that the template '${template.name}' did not create; it is left as it is.`,
          'Rename the connection in the template, or delete the existing connection.',
        ),
      );
      continue;
    }
    if (
      existing !== undefined &&
      (existing.lifecycle === 'deleting' || origin?.revision === template.revision)
    )
      continue;
    const saved = await writeTemplateConnection(run, scope.clusterId, template, existing);
    if (saved === undefined) continue;
    if (existing === undefined) connections.push(saved);
    else connections[index] = saved;
    logger.info('connection written from a template', {
      template: template.name,
      name,
      clusterId: scope.clusterId,
    });
  }
  return {
    connections: connections.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())),
    reports,
  };
}

async function writeTemplateConnection(
  run: Run,
  clusterId: string,
  template: StoredTemplate,
  existing: StoredConnection | undefined,
): Promise<StoredConnection | undefined> {
  const { store, newId, clock } = run.deps;
  const name = existing?.name ?? template.spec.connection.name;
  const generation = (existing?.generation ?? 0) + 1;
  const operationId = newId();
  await store.operations.create({
    id: operationId,
    kind: 'put',
    resourceId: linkerId(existing?.clusterId ?? clusterId, name),
    clusterId: existing?.clusterId ?? clusterId,
    linkerName: name,
    generation,
    status: 'InProgress',
    startTime: clock().toISOString(),
  });
  const accepted = acceptPut(
    existing,
    { clusterId, name, spec: template.spec.connection.properties },
    { operationId, revision: newId(), now: clock() },
  );
  const record: ConnectionRecord = {
    ...accepted,
    inventory: writeInventory({
      ...readInventory(accepted.inventory),
      template: { name: template.name, revision: template.revision },
    }),
  };
  const written = await store.connections.save(record, existing === undefined ? { absent: true } : existing);
  if (!written.ok) return undefined;
  if (existing?.operationId !== undefined) {
    await store.operations.complete(
      existing.operationId,
      { status: 'Canceled', error: supersededError },
      clock(),
    );
  }
  return { ...record, storeEtag: written.storeEtag };
}
