/**
 * Reading back what a connection did, from the public surfaces only, and narrating it: the
 * operation and the connection's steps (the API), the Secret and ServiceAccount (client-node), the
 * identity's role assignments and federated credentials (ARM).
 */
import type { Linker } from './demo-api.js';
import { lastSegment, parseId, roleName } from './demo-azure.js';
import type { DemoContext } from './demo-context.js';
import { type DemoKube, readSecret } from './demo-kube.js';
import { progressLine, stepRows } from './demo-print.js';
import { secondsSince, sleep, waitUntil } from './demo-wait.js';

const terminal = new Set(['Succeeded', 'Failed', 'Canceled']);

export interface Accepted {
  readonly clusterId: string;
  readonly name: string;
  readonly operationUrl: string;
}

/**
 * Polls the operations (Azure-AsyncOperation) until each is terminal, narrating the first
 * connection's progress from GET as its steps change. The demo polls every second, faster than
 * the API's Retry-After (5 s) asks, to keep the show short on a host that has nothing else to do.
 */
export async function untilOperationsEnd(
  ctx: DemoContext,
  accepted: readonly Accepted[],
  start: number,
): Promise<Map<string, string>> {
  const outcomes = new Map<string, string>();
  const first = accepted[0];
  let shown = '';
  for (;;) {
    for (const a of accepted) {
      if (outcomes.has(a.name)) continue;
      const status = (await ctx.api.operation(a.operationUrl)).status;
      if (terminal.has(status)) {
        outcomes.set(a.name, status);
        ctx.say.detail(`+${secondsSince(start)}  operation of ${a.name}: ${status}`);
      }
    }
    if (outcomes.size === accepted.length) return outcomes;
    if (first !== undefined && !outcomes.has(first.name)) {
      const linker = await ctx.api.getLinker(first.clusterId, first.name);
      const line = progressLine(linker?.properties.provisioningState, linker?.properties.status ?? []);
      if (line !== shown) ctx.say.detail(`+${secondsSince(start)}  ${first.name} ${line}`);
      shown = line;
    }
    if (performance.now() - start > ctx.timeoutMs) {
      throw new Error(`the operations did not end within ${Math.round(ctx.timeoutMs / 1000)} s`);
    }
    await sleep(1000, ctx.signal);
  }
}

/** GET the connection and print its state and steps (failed steps with their message). */
export async function showConnection(ctx: DemoContext, clusterId: string, name: string): Promise<Linker> {
  const linker = await ctx.api.getLinker(clusterId, name);
  if (linker === undefined) throw new Error(`GET linker ${name}: 404`);
  const steps = linker.properties.status ?? [];
  ctx.say.heading(
    `Status of ${name} (GET ${lastSegment(clusterId)}/.../linkers/${name}): ${linker.properties.provisioningState ?? '?'}`,
  );
  ctx.say.table(stepRows(steps));
  for (const step of steps.filter((s) => s.result === 'Failed')) {
    ctx.say.detail(`${step.name}: ${step.message ?? ''}`);
  }
  return linker;
}

/** The Secret (keys and value lengths only) and, for workload identity, the ServiceAccount. */
export async function showKubernetesObjects(ctx: DemoContext, kube: DemoKube, linker: Linker): Promise<void> {
  const namespace = linker.properties.scope ?? 'default';
  const secretName = linker.properties.kubernetesResourceName;
  if (secretName !== undefined) {
    const secret = await readSecret(kube, namespace, secretName);
    ctx.say.heading(`Secret ${namespace}/${secretName} (client-node; values masked)`);
    ctx.say.table(secret.keys.map((k) => [k.key, `*** (${k.length} bytes)`]));
  }
  const accountName = linker.properties.kubernetesServiceAccountName;
  if (accountName !== undefined) {
    const account = await kube.core.readNamespacedServiceAccount({ name: accountName, namespace });
    const annotations = account.metadata?.annotations ?? {};
    ctx.say.heading(`ServiceAccount ${namespace}/${accountName}`);
    ctx.say.table(
      Object.entries(annotations)
        .filter(([key]) => key.startsWith('azure.workload.identity/'))
        .map(([key, value]) => [`${key}:`, value]),
    );
  }
}

/** The identity's role assignments at (or above) the target, and its federated credentials. */
export async function showIdentityGrants(ctx: DemoContext, targetScope: string): Promise<void> {
  const identity = await ctx.identity();
  ctx.say.heading(`Role assignments of ${identity.name} at ${lastSegment(targetScope)} (ARM)`);
  const rows: string[][] = [];
  const filter = `principalId eq '${identity.principalId}'`;
  for await (const assignment of ctx.azure.authorization.roleAssignments.listForScope(targetScope, {
    filter,
  })) {
    const role = await roleName(ctx.azure, assignment.roleDefinitionId ?? '');
    rows.push([role, `scope ${lastSegment(assignment.scope ?? '')}`, `name ${assignment.name ?? ''}`]);
  }
  ctx.say.table(rows.length > 0 ? rows : [['(none)']]);

  const { resourceGroup } = parseId(ctx.ids.identityId);
  ctx.say.heading(`Federated identity credentials of ${identity.name} (ARM)`);
  const credentials: string[][] = [];
  for await (const fic of ctx.azure.msi.federatedIdentityCredentials.list(resourceGroup, identity.name)) {
    credentials.push([fic.name ?? '', `subject ${fic.subject ?? ''}`]);
    credentials.push(['', `issuer ${fic.issuer ?? ''}`]);
  }
  ctx.say.table(credentials.length > 0 ? credentials : [['(none)']]);
}

/** Waits for a linker of the cluster to reach a terminal state, narrating when it appears. */
export async function untilConnectionConverges(
  ctx: DemoContext,
  clusterId: string,
  name: string,
  start: number,
): Promise<Linker> {
  let seen: string | undefined;
  const found = await waitUntil(
    async () =>
      (await ctx.api.listLinkers(clusterId)).find((l) => l.name.toLowerCase() === name.toLowerCase()),
    (linker) => linker !== undefined && terminal.has(linker.properties.provisioningState ?? ''),
    {
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      intervalMs: 1000,
      what: `${name} on ${lastSegment(clusterId)}`,
    },
    (linker) => {
      const state = linker?.properties.provisioningState;
      if (linker === undefined || state === seen) return;
      seen = state;
      const line = progressLine(state, linker.properties.status ?? []);
      ctx.say.detail(`+${secondsSince(start)}  ${name} ${line}`);
    },
  );
  if (found === undefined) throw new Error(`${name} vanished`);
  return found;
}
