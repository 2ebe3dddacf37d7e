import { randomBytes } from 'node:crypto';
import type { KubeClusterHandle } from '../../world/contracts.js';
import type { PrepareContext } from '../api/resource-type.js';
import { replicaSets } from '../api/types-apps.js';
import { customResourceDefinitions } from '../api/types-apiextensions.js';
import { namespaces, pods, services } from '../api/types-core-workloads.js';
import { deployments } from '../api/types-apps.js';
import { obj, str, type JsonObject } from '../core/json.js';
import { finalizersOf, labelsOf, nameOf, namespaceOf, ownerReferencesOf } from '../core/meta.js';
import { syncDeployment } from '../controllers/deployment-controller.js';
import { collectOrphansOf, finalizeNamespace, finalizeOwner } from '../controllers/garbage-collector.js';
import { runPod } from '../controllers/kubelet.js';
import { syncReplicaSet } from '../controllers/replicaset-controller.js';
import { WorkQueue } from '../controllers/work-queue.js';
import { createNodes, createSystemNamespaces, populateNamespace } from '../fixtures/bootstrap.js';
import { installIotOperations } from '../fixtures/iot-operations.js';
import { kubeconfigFor } from '../kubeconfig.js';
import { ObjectStore } from '../store/object-store.js';
import { systemCreate } from './system-writes.js';
import type { Change, ClusterCore } from './core.js';
import { FaultInjector } from './faults.js';
import { OidcIssuer } from './oidc-issuer.js';
import { TypeRegistry } from './registry.js';

export interface EmulatedClusterOptions {
  readonly kubernetesVersion?: string;
  readonly iotOperations?: boolean;
  /** Nodes of the single system pool (default 3). */
  readonly nodeCount?: number;
  readonly nodePoolName?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly user: string;
}

/** One emulated API server: its objects, tokens, issuer, controllers and injected faults. */
export class EmulatedCluster implements ClusterCore {
  readonly store = new ObjectStore();
  readonly registry = new TypeRegistry();
  readonly context: PrepareContext;
  readonly userToken = randomBytes(32).toString('hex');
  readonly adminToken = randomBytes(32).toString('hex');
  readonly oidc: OidcIssuer;
  readonly kubernetesVersion: string;
  readonly faults = new FaultInjector();
  readonly requests: RecordedRequest[] = [];
  private readonly queue: WorkQueue;
  private readonly deletedOwners = new Map<string, JsonObject>();
  private readonly watchers = new Set<(change: Change) => void>();
  private serviceIps = 10;
  private nodePorts = 30000;

  constructor(
    readonly id: string,
    readonly armResourceId: string,
    readonly server: string,
    readonly caPem: string,
    issuerBase: string,
    options: EmulatedClusterOptions = {},
  ) {
    // ARM carries `1.31` or `1.31.2`; the API server always reports a patch version.
    const parts = (options.kubernetesVersion ?? '1.34.1').split('.');
    this.kubernetesVersion = [parts[0] ?? '1', parts[1] ?? '34', parts[2] ?? '0'].join('.');
    this.oidc = new OidcIssuer(`${issuerBase}/oidc/${id}/`);
    const minor = Number(this.kubernetesVersion.split('.')[1] ?? '34');
    this.context = {
      minor,
      allocateServiceIP: () => {
        const n = this.serviceIps++;
        return `10.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      },
      allocateNodePort: () => this.nodePorts++,
    };
    this.queue = new WorkQueue(async (key) => await this.reconcile(key));
    createSystemNamespaces(this);
    createNodes(this, {
      poolName: options.nodePoolName ?? 'nodepool1',
      count: options.nodeCount ?? 3,
      kubernetesVersion: this.kubernetesVersion,
    });
    systemCreate(this, services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        clusterIPs: ['10.0.0.1'],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
        sessionAffinity: 'None',
      },
    });
    if (options.iotOperations === true) this.installIotOperations();
  }

  /** What deploying an IoT Operations instance to this cluster installs; once. */
  installIotOperations(): void {
    if (this.registry.findByKind('mqttbroker.iotoperations.azure.com/v1', 'BrokerListener') !== undefined)
      return;
    installIotOperations(this, this.caPem);
  }

  handle(): KubeClusterHandle {
    return {
      server: this.server,
      caPem: this.caPem,
      userToken: this.userToken,
      adminToken: this.adminToken,
      oidcIssuerUrl: this.oidc.issuerUrl,
    };
  }

  kubeconfig(role: 'user' | 'admin' = 'user'): string {
    return kubeconfigFor(this.handle(), { armResourceId: this.armResourceId, role });
  }

  now(): string {
    return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** A stored object by apiVersion and kind, for assertions (a copy). */
  get(apiVersion: string, kind: string, namespace: string, name: string): JsonObject | undefined {
    const type = this.registry.findByKind(apiVersion, kind);
    const o = type === undefined ? undefined : this.store.get(type, type.namespaced ? namespace : '', name);
    return o === undefined ? undefined : structuredClone(o);
  }

  list(apiVersion: string, kind: string, namespace?: string): JsonObject[] {
    const type = this.registry.findByKind(apiVersion, kind);
    return type === undefined ? [] : this.store.list(type, namespace).map((o) => structuredClone(o));
  }

  /** Resolves when the controllers have nothing left to do (retries after failures excepted). */
  async settle(): Promise<void> {
    await this.queue.settle();
  }

  webhookConfigurations(
    resource: 'mutatingwebhookconfigurations' | 'validatingwebhookconfigurations',
  ): JsonObject[] {
    const type = this.registry.find('admissionregistration.k8s.io', 'v1', resource);
    return type === undefined ? [] : this.store.list(type, '');
  }

  namespaceLabels(name: string): Readonly<Record<string, string>> | undefined {
    const ns = this.store.get(namespaces, '', name);
    return ns === undefined ? undefined : labelsOf(ns);
  }

  /** Streams every committed change to `listener` (watch) until the returned function is called. */
  subscribe(listener: (change: Change) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  afterWrite(change: Change): void {
    for (const w of this.watchers) w(change);
    const { resource: t, object: o, type } = change;
    const key = `${namespaceOf(o)}/${nameOf(o)}`;
    const deleting = obj(o.metadata)?.deletionTimestamp !== undefined;
    if (t === customResourceDefinitions) {
      if (type === 'DELETED')
        for (const gone of this.registry.unregisterCrd(nameOf(o))) this.store.dropType(gone);
      else if (!deleting) this.registry.registerCrd(o);
    }
    if (t === namespaces) {
      if (type === 'ADDED') populateNamespace(this, nameOf(o), this.caPem);
      if (type === 'MODIFIED' && deleting) this.queue.add(`ns|${nameOf(o)}`);
    }
    if (t === deployments) this.queue.add(`deploy|${key}`);
    if (t === replicaSets) {
      this.queue.add(`rs|${key}`);
      for (const ref of ownerReferencesOf(o))
        if (ref.kind === 'Deployment') this.queue.add(`deploy|${namespaceOf(o)}/${ref.name}`);
    }
    if (t === pods) {
      for (const ref of ownerReferencesOf(o))
        if (ref.kind === 'ReplicaSet') this.queue.add(`rs|${namespaceOf(o)}/${ref.name}`);
      if (type !== 'DELETED' && !deleting && str(obj(o.status)?.phase) !== 'Running')
        this.queue.add(`pod|${key}`);
    }
    if (type === 'DELETED') {
      // An owner waiting in foreground deletion re-checks whether its dependents are gone.
      for (const ref of ownerReferencesOf(o)) {
        const ownerType = this.registry.findByKind(ref.apiVersion, ref.kind);
        const ownerNs = ownerType?.namespaced === true ? namespaceOf(o) : '';
        const owner = ownerType === undefined ? undefined : this.store.get(ownerType, ownerNs, ref.name);
        if (
          ownerType !== undefined &&
          owner !== undefined &&
          finalizersOf(owner).includes('foregroundDeletion')
        ) {
          this.queue.add(`finalize|${ownerType.group}|${ownerType.resource}|${ownerNs}/${ref.name}`);
        }
      }
      const uid = str(obj(o.metadata)?.uid) ?? '';
      this.deletedOwners.set(uid, o);
      this.queue.add(`gc|${uid}`);
    }
    if (
      type === 'MODIFIED' &&
      deleting &&
      finalizersOf(o).some((f) => f === 'foregroundDeletion' || f === 'orphan')
    ) {
      this.queue.add(`finalize|${t.group}|${t.resource}|${key}`);
    }
  }

  private async reconcile(key: string): Promise<void> {
    const [kind = '', ...rest] = key.split('|');
    const [namespace = '', name = ''] = (rest.at(-1) ?? '').split('/');
    switch (kind) {
      case 'deploy':
        await syncDeployment(this, namespace, name);
        break;
      case 'rs':
        if ((await syncReplicaSet(this, namespace, name)).failed) this.queue.addAfter(key, 1000);
        break;
      case 'pod':
        await runPod(this, namespace, name);
        break;
      case 'ns':
        await finalizeNamespace(this, rest[0] ?? '');
        break;
      case 'gc': {
        const owner = this.deletedOwners.get(rest[0] ?? '');
        this.deletedOwners.delete(rest[0] ?? '');
        if (owner !== undefined) await collectOrphansOf(this, owner);
        break;
      }
      case 'finalize': {
        const type = this.registry.all().find((t) => t.group === rest[0] && t.resource === rest[1]);
        const owner = type === undefined ? undefined : this.store.get(type, namespace, name);
        if (type !== undefined && owner !== undefined) await finalizeOwner(this, type, owner);
        break;
      }
      default:
        break;
    }
  }

  close(): void {
    this.watchers.clear();
    this.queue.close();
  }
}
