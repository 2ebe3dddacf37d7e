/**
 * Reconcile benchmarks (ADR 0082), the engine through the real adapters on the ARM emulator (1000x
 * time, throttling off), the Kubernetes emulator and Azurite:
 *
 * 1. ARM reads, writes and POST actions, and Kubernetes requests, per reconcile pass: the first
 *    pass (everything to create; long-running operations started), the pass after they finished,
 *    and a converged pass; for one workload-identity connection and for ten connections (five
 *    targets kinds, two namespaces), to show reads are shared per cluster, target and identity;
 * 2. sequential ARM round trips on the critical path of each pass: every ARM request is given
 *    40 ms of latency (so requests the engine sends together overlap, as they do against Azure),
 *    and the longest chain of ARM requests in which each starts after the previous one answered
 *    is read from the emulator's log;
 * 3. wall time per converged pass (median and p90 of 20) and of the first pass.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { demoIds, demoSeed, startArmEmulator, type ArmEmulator } from '../dev/arm/index.js';
import { startAzurite } from '../dev/azurite/index.js';
import { startKubeEmulator, type KubeEmulator } from '../dev/kube/index.js';
import { createLocalCa } from '../dev/tls/local-ca.js';
import { createAzurePorts } from '../shared/azure/create-azure-ports.js';
import { createKubeConnector } from '../shared/kube/connector.js';
import { acceptPut } from '../shared/model/connection.js';
import { createSecretCipher } from '../shared/model/secret-cipher.js';
import { sealDraft } from '../shared/model/seal-spec.js';
import { validateLinkerBody } from '../shared/model/validate-linker.js';
import { Issues } from '../shared/model/validation/issues.js';
import { reconcileCluster } from '../shared/reconcile/engine/reconcile-cluster.js';
import type { ReconcileDeps } from '../shared/reconcile/engine/types.js';
import { createReconcileRuntime } from '../shared/runtime/reconcile-dependencies.js';
import { loadSettings } from '../shared/runtime/settings.js';
import { createClusterStatusStore } from '../shared/store/cluster-status.js';
import { createTableConnectorStore } from '../shared/store/connector-store.js';
import type { ConnectorStore } from '../shared/store/ports.js';
import type { BenchSuite, BenchTable } from './types.js';

const cluster = demoIds.cluster;

interface Pass {
  readonly reads: number;
  readonly writes: number;
  readonly actions: number;
  readonly kube: number;
  readonly kubeWrites: number;
  readonly chain: number;
  /** Wall time of the pass (with the injected latency for the table of requests). */
  readonly ms: number;
}

/** The longest chain of ARM requests where each starts after the previous one answered. */
function criticalPath(entries: readonly { time: number; durationMs: number }[]): number {
  const sorted = [...entries].sort((a, b) => a.time - b.time);
  const depth: number[] = [];
  sorted.forEach((e, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) {
      const d = sorted[j] as { time: number; durationMs: number };
      if (d.time + d.durationMs <= e.time) best = Math.max(best, depth[j] ?? 0);
    }
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}

const latencyMs = 40;

async function pass(deps: ReconcileDeps, arm: ArmEmulator, kube: KubeEmulator): Promise<Pass> {
  const slow = arm.faults.inject({ path: '**', latencyMs });
  try {
    return await measured(deps, arm, kube);
  } finally {
    slow.remove();
  }
}

async function measured(deps: ReconcileDeps, arm: ArmEmulator, kube: KubeEmulator): Promise<Pass> {
  const since = Date.now();
  const from = kube.cluster(cluster)?.requests.length ?? 0;
  const started = performance.now();
  await reconcileCluster(deps, cluster);
  const ms = performance.now() - started;
  const log = arm.requestLog.entries({ since });
  const summary = arm.requestLog.summary({ since });
  const kubeRequests = kube.cluster(cluster)?.requests.slice(from) ?? [];
  return {
    reads: summary.read,
    writes: summary.write + summary.delete,
    actions: summary.action,
    kube: kubeRequests.length,
    kubeWrites: kubeRequests.filter((r) => r.method !== 'GET').length,
    chain: criticalPath(log),
    ms,
  };
}

function bodies(clientId: string): Record<string, unknown>[] {
  const wi = { authType: 'userAssignedIdentity', clientId, subscriptionId: demoIds.subscriptionId };
  const blob = `${demoIds.storageAccount}/blobServices/default`;
  const queue = `${demoIds.storageAccount}/queueServices/default`;
  const csi = { type: 'KeyVault', connectAsKubernetesCsiDriver: true };
  const pg = {
    authType: 'secret',
    name: 'app',
    secretInfo: { secretType: 'rawValue', value: 'bench-Passw0rd' },
  };
  return [
    { targetService: { type: 'AzureResource', id: blob }, authInfo: wi, scope: 'apps' },
    { targetService: { type: 'AzureResource', id: queue }, authInfo: wi, scope: 'apps' },
    { targetService: { type: 'AzureResource', id: blob }, authInfo: { authType: 'secret' }, scope: 'apps' },
    { targetService: { type: 'AzureResource', id: demoIds.keyVault }, authInfo: wi, scope: 'apps' },
    {
      targetService: { type: 'AzureResource', id: demoIds.keyVault, resourceProperties: csi },
      authInfo: { authType: 'userAssignedIdentity' },
      scope: 'apps',
    },
    {
      targetService: { type: 'AzureResource', id: demoIds.postgresDatabase },
      authInfo: pg,
      clientType: 'nodejs',
      scope: 'apps',
    },
    { targetService: { type: 'AzureResource', id: blob }, authInfo: wi, scope: 'jobs' },
    { targetService: { type: 'AzureResource', id: queue }, authInfo: { authType: 'secret' }, scope: 'jobs' },
    { targetService: { type: 'AzureResource', id: demoIds.keyVault }, authInfo: wi, scope: 'jobs' },
    {
      targetService: { type: 'AzureResource', id: demoIds.postgresDatabase },
      authInfo: pg,
      clientType: 'python',
      scope: 'jobs',
    },
  ];
}

async function put(store: ConnectorStore, key: Buffer, name: string, properties: Record<string, unknown>) {
  const issues = new Issues();
  const draft = validateLinkerBody({ properties }, issues);
  const spec =
    draft === undefined
      ? undefined
      : sealDraft(
          draft,
          { cipher: createSecretCipher({ current: key }), previous: undefined, path: 'properties' },
          issues,
        );
  if (spec === undefined) throw new Error(`invalid bench linker: ${JSON.stringify(issues.list)}`);
  const record = acceptPut(
    undefined,
    { clusterId: cluster, name, spec },
    { operationId: randomUUID(), revision: randomUUID(), now: new Date() },
  );
  await store.connections.save(record, { absent: true });
}

async function scenario(
  connections: number,
  latency: boolean,
): Promise<{ passes: [string, Pass][]; converged: number[] }> {
  const ca = await createLocalCa('reconcile bench');
  const [kube, azurite] = await Promise.all([startKubeEmulator({ ca }), startAzurite()]);
  const arm = await startArmEmulator({
    ca,
    timeScale: 1000,
    kubernetes: kube.provider,
    seed: demoSeed(),
    throttling: false,
  });
  try {
    const key = randomBytes(32);
    const settings = {
      ...loadSettings({
        AzureWebJobsStorage: azurite.connectionString,
        CONNECTOR_ARM_ENDPOINT: arm.endpoint,
      }),
      secretEncryptionKey: key,
    };
    const store = createTableConnectorStore(settings.storage);
    const { engine } = createReconcileRuntime(settings, {
      azure: createAzurePorts({ endpoint: arm.endpoint, credential: arm.credential('connector-functions') }),
      kube: createKubeConnector(),
      store,
      clusterStatus: createClusterStatusStore(settings.storage),
      dependencyIndex: null,
      clusterSteps: [],
    });
    const clientId = String(
      (arm.resource(demoIds.identity)?.['properties'] as { clientId?: string }).clientId,
    );
    const all = bodies(clientId).slice(0, connections);
    for (const [i, body] of all.entries()) await put(store, key, `conn${i}`, body);
    const run = latency ? pass : measured;
    const passes: [string, Pass][] = [['first pass', await run(engine, arm, kube)]];
    for (let i = 2; i <= 4; i++) {
      await arm.operations.idle();
      passes.push([`pass ${i}`, await run(engine, arm, kube)]);
    }
    const converged: number[] = [];
    for (let i = 0; i < 20; i++) converged.push((await run(engine, arm, kube)).ms);
    passes.push(['converged', await run(engine, arm, kube)]);
    return { passes, converged };
  } finally {
    await Promise.all([arm.close(), kube.close(), azurite.stop()]);
  }
}

const quantile = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? NaN;

export const reconcileBench: BenchSuite = {
  name: 'reconcile',
  async run(): Promise<readonly BenchTable[]> {
    const rows: (string | number)[][] = [];
    const times: (string | number)[][] = [];
    for (const n of [1, 10]) {
      const { passes } = await scenario(n, true);
      for (const [label, p] of passes)
        rows.push([n, label, p.reads, p.writes, p.actions, p.chain, p.kube, p.kubeWrites, Math.round(p.ms)]);
      const plain = await scenario(n, false);
      times.push([
        n,
        Math.round(plain.passes[0]?.[1].ms ?? NaN),
        Math.round(quantile(plain.converged, 0.5)),
        Math.round(quantile(plain.converged, 0.9)),
      ]);
    }
    return [
      {
        title: 'ARM and Kubernetes requests per reconcile pass',
        columns: [
          'connections',
          'pass',
          'ARM reads',
          'ARM writes',
          'ARM POST actions',
          'sequential ARM round trips',
          'Kubernetes requests',
          'Kubernetes writes',
          'wall ms',
        ],
        rows,
        notes: `Every ARM request given ${latencyMs} ms of latency (wall ms includes it). Demo world (AKS with two LB outbound IPs and a node pool on a /28 prefix; storage, Key Vault, PostgreSQL). Ten connections: workload identity, secret and CSI to blob, queue, Key Vault and PostgreSQL in two namespaces. Writes are PUT/PATCH/DELETE; POST actions are listClusterUserCredential, listKeys and provider registration. Round trips: the longest chain of ARM requests each starting after the previous answered (emulator log).`,
      },
      {
        title: 'Wall time per reconcile on the emulators (ms)',
        columns: ['connections', 'first pass', 'converged p50', 'converged p90'],
        rows: times,
        notes:
          'Converged: 20 passes with nothing to change; everything in one process on the shared 2-core machine.',
      },
    ];
  },
};
