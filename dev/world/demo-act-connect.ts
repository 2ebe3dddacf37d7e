/**
 * Act 1 (issue 6): connections through the API. The demo cluster gets a workload-identity
 * connection to the demo storage account's blob service and a secret connection to the demo
 * PostgreSQL database; the demo polls the operations, then shows what converged: the steps (API),
 * the Secrets and the ServiceAccount (client-node), the firewall rules holding the cluster's egress
 * addresses, the role assignment and the federated credential (ARM).
 */
import { randomBytes } from 'node:crypto';
import type { Linker } from './demo-api.js';
import { clusterEgress, egressOf, type EgressRange, ipv4, lastSegment, parseId, span } from './demo-azure.js';
import type { DemoContext } from './demo-context.js';
import {
  type Accepted,
  showConnection,
  showIdentityGrants,
  showKubernetesObjects,
  untilOperationsEnd,
} from './demo-show.js';
import { demoConnectionName } from './demo-connection.js';
import { secondsSince } from './demo-wait.js';

export const demoPostgresConnectionName = 'demo_pg';

export interface ConnectOutcome {
  readonly blob: Linker;
  readonly postgres: Linker;
  /** From the first PUT to both operations ending. */
  readonly convergedSeconds: number;
}

/** The storage account admits selected networks only, as a production account would. */
async function restrictStorage(ctx: DemoContext): Promise<void> {
  const { resourceGroup, name } = parseId(ctx.ids.storageAccountId);
  ctx.say.step(
    `ARM, as you: ${name} admits selected networks only (networkRuleSet.defaultAction Deny, no IP rule)`,
  );
  await ctx.azure.storage.storageAccounts.update(
    resourceGroup,
    name,
    { networkRuleSet: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [] } },
    { abortSignal: ctx.signal },
  );
}

async function postgresDatabaseId(ctx: DemoContext): Promise<string> {
  const { resourceGroup, name } = parseId(ctx.ids.postgresServerId);
  for await (const db of ctx.azure.postgres.databases.listByServer(resourceGroup, name)) {
    if (db.id !== undefined && !['postgres', 'azure_maintenance', 'azure_sys'].includes(db.name ?? ''))
      return db.id;
  }
  throw new Error(`${name} has no application database`);
}

async function putConnections(ctx: DemoContext): Promise<Accepted[]> {
  const identity = await ctx.identity();
  const clusterId = ctx.ids.clusterId;
  const blobTarget = `${ctx.ids.storageAccountId}/blobServices/default`;
  const blob = await ctx.api.putLinker(clusterId, demoConnectionName, {
    properties: {
      targetService: { type: 'AzureResource', id: blobTarget },
      authInfo: {
        authType: 'userAssignedIdentity',
        clientId: identity.clientId,
        subscriptionId: ctx.subscriptionId,
      },
      clientType: 'none',
      scope: 'default',
    },
  });
  ctx.say.step(
    `PUT ${ctx.api.url(ctx.api.linkerPath(lastSegmentPath(clusterId), demoConnectionName))} -> ${blob.status}`,
  );
  ctx.say.detail(
    `blob storage of ${lastSegment(ctx.ids.storageAccountId)}, workload identity through ${identity.name} (client id ${identity.clientId}), namespace default`,
  );

  const database = await postgresDatabaseId(ctx);
  // The application's password: sent once, sealed at rest by the connector, never printed.
  const password = randomBytes(18).toString('base64url');
  const postgres = await ctx.api.putLinker(clusterId, demoPostgresConnectionName, {
    properties: {
      targetService: { type: 'AzureResource', id: database },
      authInfo: {
        authType: 'secret',
        name: 'appuser',
        secretInfo: { secretType: 'rawValue', value: password },
      },
      clientType: 'none',
      scope: 'default',
    },
  });
  ctx.say.step(
    `PUT ${ctx.api.url(ctx.api.linkerPath(lastSegmentPath(clusterId), demoPostgresConnectionName))} -> ${postgres.status}`,
  );
  ctx.say.detail(
    `database ${lastSegment(database)} on ${lastSegment(ctx.ids.postgresServerId)}, user appuser with a password (sealed at rest)`,
  );
  if (blob.operationUrl === undefined || postgres.operationUrl === undefined) {
    throw new Error('the linker API answered without an Azure-AsyncOperation header');
  }
  return [
    { clusterId, name: demoConnectionName, operationUrl: blob.operationUrl },
    { clusterId, name: demoPostgresConnectionName, operationUrl: postgres.operationUrl },
  ];
}

/** `.../managedClusters/aks-demo` for the narration (the full id is in endpoints.json). */
function lastSegmentPath(clusterId: string): string {
  return `/.../managedClusters/${lastSegment(clusterId)}`;
}

function label(range: [number, number], egress: readonly EgressRange[], cluster: string): string {
  const source = egressOf(range, egress);
  return source === undefined ? 'not an address of this cluster' : `${cluster} egress: ${source.source}`;
}

/** What the connection's Firewall step itself says (e.g. that same-region rules do not apply). */
function firewallVerdict(ctx: DemoContext, linker: Linker): void {
  const step = linker.properties.status?.find((s) => s.name === 'Firewall');
  if (step !== undefined)
    ctx.say.detail(
      `${linker.name}'s Firewall step: ${step.reasonCode ?? step.result}. ${step.message ?? ''}`.trimEnd(),
    );
}

async function showFirewalls(ctx: DemoContext, blob: Linker, postgres: Linker): Promise<void> {
  const cluster = parseId(ctx.ids.clusterId);
  const egress = await clusterEgress(
    ctx.azure,
    await ctx.azure.aks.managedClusters.get(cluster.resourceGroup, cluster.name),
  );
  const storage = parseId(ctx.ids.storageAccountId);
  const account = await ctx.azure.storage.storageAccounts.getProperties(storage.resourceGroup, storage.name);
  const rules = account.networkRuleSet?.ipRules ?? [];
  ctx.say.heading(
    `Firewall of ${storage.name} (ARM: networkRuleSet, defaultAction ${account.networkRuleSet?.defaultAction ?? '?'})`,
  );
  ctx.say.table(
    rules.map((r) => [r.iPAddressOrRange, label(span(r.iPAddressOrRange), egress, cluster.name)]),
  );
  firewallVerdict(ctx, blob);
  const server = parseId(ctx.ids.postgresServerId);
  ctx.say.heading(`Firewall rules of ${server.name} (ARM: flexibleServers/firewallRules)`);
  const rows: string[][] = [];
  for await (const rule of ctx.azure.postgres.firewallRules.listByServer(server.resourceGroup, server.name)) {
    const range: [number, number] = [ipv4(rule.startIpAddress), ipv4(rule.endIpAddress)];
    rows.push([
      rule.name ?? '',
      `${rule.startIpAddress} - ${rule.endIpAddress}`,
      label(range, egress, cluster.name),
    ]);
  }
  ctx.say.table(rows.length > 0 ? rows : [['(none)']]);
  firewallVerdict(ctx, postgres);
}

export async function connectAct(ctx: DemoContext): Promise<ConnectOutcome> {
  ctx.say.act(
    'Act 1 - Connections through the API: aks-demo to blob storage (workload identity) and to PostgreSQL (secret)',
  );
  await restrictStorage(ctx);
  const start = performance.now();
  const accepted = await putConnections(ctx);
  ctx.say.step("Polling the Azure-AsyncOperation URLs (the reconcile runs in the host's queue worker)");
  const outcomes = await untilOperationsEnd(ctx, accepted, start);
  const convergedSeconds = (performance.now() - start) / 1000;
  ctx.say.detail(`both operations ended ${secondsSince(start)} after the first PUT`);
  ctx.say.blank();
  const blob = await showConnection(ctx, ctx.ids.clusterId, demoConnectionName);
  const postgres = await showConnection(ctx, ctx.ids.clusterId, demoPostgresConnectionName);
  // A connection that did not converge stops the act here: its steps, just printed, say why.
  const failed = [...outcomes].filter(([, status]) => status !== 'Succeeded');
  if (failed.length > 0)
    throw new Error(`${failed.map(([n, st]) => `${n} ${st}`).join(', ')}: see the steps above`);
  ctx.say.blank();
  await showKubernetesObjects(ctx, ctx.kube, blob);
  await showKubernetesObjects(ctx, ctx.kube, postgres);
  ctx.say.blank();
  await showFirewalls(ctx, blob, postgres);
  ctx.say.blank();
  await showIdentityGrants(ctx, ctx.ids.storageAccountId);
  return { blob, postgres, convergedSeconds };
}
