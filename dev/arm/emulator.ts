/**
 * `startArmEmulator`: wires the front door, the engine, the resource types, identity, events and
 * the control surface tests use (faults, deny rules, provider registration, throttling, seeds).
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import { createLocalCa, trustCaInThisProcess, type LocalCa } from '../tls/local-ca.js';
import type { KubeClusterProvider } from '../world/contracts.js';
import { TokenSigner } from './auth/jwt.js';
import { startManagedIdentityEndpoint } from './auth/managed-identity-endpoint.js';
import { type Principal, PrincipalDirectory, type PrincipalSpec } from './auth/principals.js';
import { createTokenCredential, issueToken } from './auth/tokens.js';
import { createClock } from './core/clock.js';
import { ResourceStore } from './core/store.js';
import { ResourceEngine } from './engine/engine.js';
import { Operations } from './engine/operations.js';
import { checkedPageSize } from './engine/paging.js';
import { TypeRegistry } from './engine/registry.js';
import { type Actor, World } from './engine/world.js';
import { buildEventGridEvent } from './events/event-builder.js';
import { EventDelivery, type EventDeliveryOptions } from './events/delivery.js';
import { createArmServer, type ServerDeps } from './http/server.js';
import { Faults } from './platform/faults.js';
import { Rbac } from './platform/rbac.js';
import { RequestLog } from './platform/request-log.js';
import { Subscriptions } from './platform/subscriptions.js';
import { Throttler } from './platform/throttling.js';
import { type ArmEmulator, type ArmEmulatorOptions, defaultTenantId } from './api.js';
import { loadSeed } from './seeds/load-seed.js';
import { allResourceTypes } from './types/index.js';
import { reconcileKubernetesClusters } from './types/containerservice/kube-link.js';

export async function startArmEmulator(options: ArmEmulatorOptions = {}): Promise<ArmEmulator> {
  const ca: LocalCa = options.ca ?? (await createLocalCa('ARM emulator CA'));
  const tenantId = (options.tenantId ?? options.seed?.tenantId ?? defaultTenantId).toLowerCase();
  const clock = createClock(options.timeScale ?? 1);
  const signer = new TokenSigner();
  const directory = new PrincipalDirectory();
  const store = new ResourceStore();
  const subscriptions = new Subscriptions(clock);
  const registry = new TypeRegistry(allResourceTypes);
  const log = new RequestLog();
  const faults = new Faults();
  const rbac = new Rbac();
  const throttler = new Throttler(clock, options.throttling ?? true);
  const operations = new Operations(clock);
  const delivery = new EventDelivery(clock, ca.certPem);

  const providerActors = new Map<string, Actor>();
  const actorFor = (principal: Principal): Actor => ({
    principal,
    claims: claimsOf(principal),
    correlationId: randomUUID(),
  });
  const claimsOf = (principal: Principal) =>
    signer.verify(
      issueToken(signer, principal, tenantId, 'https://management.azure.com/').token,
    ) as NonNullable<ReturnType<TokenSigner['verify']>>;

  const serverDeps: ServerDeps = {
    engine: undefined as unknown as ResourceEngine,
    signer,
    throttler,
    faults,
    log,
    tenantId,
    endpoint: '',
  };
  const world = new World({
    store,
    clock,
    principals: directory,
    subscriptions,
    registry,
    tenantId,
    caPem: ca.certPem,
    get endpoint() {
      return serverDeps.endpoint;
    },
    publish: (input) => delivery.publish(buildEventGridEvent(input)),
    providerActor: (namespace) => {
      let actor = providerActors.get(namespace.toLowerCase());
      if (actor === undefined) {
        actor = actorFor(directory.add({ displayName: `${namespace} resource provider` }));
        providerActors.set(namespace.toLowerCase(), actor);
      }
      return actor;
    },
  });
  world.kubeProvider = options.kubernetes;
  world.principalPropagationSeconds = options.principalPropagationSeconds ?? 0;
  world.listPageSize = checkedPageSize(options.listPageSize);
  const engine = new ResourceEngine(world, operations, faults, rbac, {
    lroDurationMs: options.lroDurationMs,
  });
  serverDeps.engine = engine;

  const app = directory.add({ displayName: 'connector-functions (system-assigned identity)' });
  const admin = directory.add({ displayName: 'test-admin' });
  const seedActor = actorFor(directory.add({ displayName: 'arm-emulator seed' }));

  const cert = await ca.issueServerCertificate(['localhost', '127.0.0.1']);
  const server = createArmServer(serverDeps, { cert: cert.certPem, key: cert.keyPem });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  serverDeps.endpoint = `https://127.0.0.1:${port}`;
  if (options.trustCa !== false) trustCaInThisProcess(ca.certPem);

  const mi = await startManagedIdentityEndpoint({ signer, directory, tenantId, systemAssigned: app });

  const principalOf = (who?: string | PrincipalSpec): Principal => {
    if (who === undefined) return admin;
    if (typeof who === 'string') return directory.byName(who) ?? directory.add({ displayName: who });
    return (who.principalId === undefined ? undefined : directory.get(who.principalId)) ?? directory.add(who);
  };

  const applySeed = async (seed: NonNullable<ArmEmulatorOptions['seed']>) => {
    const previous = engine.options.lroDurationMs;
    engine.options.lroDurationMs = 0;
    try {
      return await loadSeed(seed, { engine, actor: seedActor, tenantId });
    } finally {
      engine.options.lroDurationMs = previous;
    }
  };

  if (options.events !== undefined) await delivery.configure(options.events);
  if (options.seed !== undefined) await applySeed(options.seed);

  const emulator: ArmEmulator = {
    endpoint: serverDeps.endpoint,
    caPem: ca.certPem,
    tenantId,
    credential: (who?: string | PrincipalSpec): TokenCredential =>
      createTokenCredential(signer, principalOf(who), tenantId),
    principal: principalOf,
    managedIdentity: {
      endpoint: mi.endpoint,
      header: mi.header,
      principalId: app.principalId,
      clientId: app.clientId,
      tokensIssued: mi.issued,
    },
    requestLog: log,
    faults,
    rbac,
    throttling: throttler,
    providers: {
      state: (sub, ns) => subscriptions.state(sub, ns),
      register: (sub, ns) => subscriptions.register(sub, ns),
      unregister: (sub, ns) => subscriptions.unregister(sub, ns),
      set: (sub, ns, state) => subscriptions.set(sub, ns, state),
      setDefaultState: (state) => subscriptions.setDefaultState(state),
      setRegistrationSeconds: (seconds) => (subscriptions.registrationSeconds = seconds),
    },
    events: {
      log: () => delivery.log(),
      idle: async () => {
        await operations.idle();
        await delivery.idle();
      },
      clear: () => delivery.clear(),
    },
    operations: { idle: () => operations.idle() },
    paging: {
      setPageSize: (size) => {
        world.listPageSize = checkedPageSize(size);
      },
    },
    resource: (id) => {
      const r = store.get(id);
      return r === undefined ? undefined : structuredClone(r.body);
    },
    resources: (type) =>
      (type === undefined
        ? store.all()
        : store.all().filter((r) => r.type.toLowerCase() === type.toLowerCase())
      ).map((r) => structuredClone(r.body)),
    setPrincipalPropagationSeconds: (seconds) => (world.principalPropagationSeconds = seconds),
    async setKubernetesProvider(provider?: KubeClusterProvider) {
      world.kubeProvider = provider;
      if (provider !== undefined) await reconcileKubernetesClusters(world);
    },
    setEventDelivery: (target?: EventDeliveryOptions) => delivery.configure(target),
    loadSeed: applySeed,
    async reset() {
      operations.clear();
      store.clear();
      subscriptions.clear();
      log.clear();
      faults.clear();
      rbac.clear();
      throttler.reset();
      delivery.clear();
      if (options.seed !== undefined) await applySeed(options.seed);
    },
    async close() {
      delivery.close();
      operations.clear();
      await mi.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return emulator;
}
