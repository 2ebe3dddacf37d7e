/**
 * The emulators of the local world, as WorldServices (see local-world.ts for the order): one local
 * CA for every HTTPS endpoint, the Kubernetes emulator, the ARM emulator (seeded with the demo
 * world, its Kubernetes backend the Kubernetes emulator), the demo world's files, and ARM's Event
 * Grid delivery to the host's `armEvents` function. Each sets the app settings the host needs so
 * the product code runs unchanged: `CONNECTOR_ARM_ENDPOINT`, `IDENTITY_ENDPOINT` /
 * `IDENTITY_HEADER` (DefaultAzureCredential's App Service managed identity), `NODE_EXTRA_CA_CERTS`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { demoIds, demoSeed, startArmEmulator } from '../arm/index.js';
import { startKubeEmulator, writeKubeconfigs } from '../kube/index.js';
import { createLocalCa } from '../tls/local-ca.js';
import type { WorldService } from './local-world.js';

/**
 * Settings that would make DefaultAzureCredential pick another credential before the managed
 * identity (a developer's service principal, workload identity file, `AZURE_TOKEN_CREDENTIALS=dev`).
 * The host inherits this process's environment, so they are set empty, which @azure/identity reads
 * as unset. Not AZURE_AUTHORITY_HOST: an empty one is taken as a (malformed) authority.
 */
const foreignCredentialSettings = [
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_TOKEN_CREDENTIALS',
];

/** A path for the banner: relative to the working directory when that is shorter. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.length < path.length && !rel.startsWith('..') ? rel : path;
}

/** The throwaway CA behind every HTTPS endpoint, and the host's HTTPS certificate. */
export const localCa: WorldService = {
  name: 'Local CA',
  async start(state) {
    const ca = await createLocalCa('Connector Functions local CA');
    const caPath = await ca.writeCertificate(state.options.localDir);
    const cert = await ca.issueServerCertificate(['localhost', '127.0.0.1']);
    state.hostHttps = cert;
    state.emulators.ca = ca;
    state.emulators.caPath = caPath;
    // Node reads one NODE_EXTRA_CA_CERTS file: keep a CA the caller already relies on.
    const callerCas = state.options.env['NODE_EXTRA_CA_CERTS'];
    let trustPath = caPath;
    if (callerCas !== undefined && callerCas !== '') {
      const theirs = await readFile(callerCas, 'utf8').catch(() => '');
      trustPath = join(state.options.localDir, 'node-extra-ca-certs.pem');
      await writeFile(trustPath, `${theirs.trimEnd()}\n${ca.certPem}`);
    }
    state.appSettings['NODE_EXTRA_CA_CERTS'] = trustPath;
    state.appSettings['CONNECTOR_WEBHOOK_CA_BUNDLE'] = ca.certPem;
    // Admission webhooks need https: webhook registrations point at the host's HTTPS port.
    const publicUrl = (state.options.env['CONNECTOR_PUBLIC_BASE_URL'] ?? '').trim();
    state.appSettings['CONNECTOR_PUBLIC_BASE_URL'] =
      publicUrl === '' ? `https://127.0.0.1:${state.httpsPort}` : publicUrl;
    return {
      name: 'Local CA',
      lines: [`${shownPath(caPath)} (trusted by the host; curl --cacert ${shownPath(caPath)})`],
      stop: () => Promise.resolve(),
    };
  },
};

export const kubernetesEmulator: WorldService = {
  name: 'Kubernetes',
  async start(state) {
    const kube = await startKubeEmulator({ ...(state.emulators.ca && { ca: state.emulators.ca }) });
    state.emulators.kube = kube;
    return {
      name: 'Kubernetes',
      lines: [`${kube.url}/clusters/<cluster> (Kubernetes API emulator, one API server per cluster)`],
      stop: () => kube.close(),
    };
  },
};

export const armEmulator: WorldService = {
  name: 'ARM',
  async start(state) {
    const { ca, kube, caPath } = state.emulators;
    const arm = await startArmEmulator({
      ...(ca && { ca }),
      ...(kube && { kubernetes: kube.provider }),
      seed: demoSeed(),
      timeScale: state.options.timeScale ?? 1,
    });
    state.emulators.arm = arm;
    const settings = state.appSettings;
    for (const name of foreignCredentialSettings) settings[name] = '';
    settings['CONNECTOR_ARM_ENDPOINT'] = arm.endpoint;
    settings['IDENTITY_ENDPOINT'] = arm.managedIdentity.endpoint;
    settings['IDENTITY_HEADER'] = arm.managedIdentity.header;
    settings['CONNECTOR_SUBSCRIPTION_IDS'] = demoIds.subscriptionId;
    // A short event window (production: 15 s) so the demo's automatic connects show promptly.
    if ((state.options.env['CONNECTOR_EVENT_WINDOW_SECONDS'] ?? '').trim() === '') {
      settings['CONNECTOR_EVENT_WINDOW_SECONDS'] = '2';
    }
    state.endpoints.arm = {
      endpoint: arm.endpoint,
      ...(caPath !== undefined && { caCertPath: caPath }),
      subscriptionId: demoIds.subscriptionId,
    };
    const scale = state.options.timeScale ?? 1;
    return {
      name: 'ARM',
      lines: [
        `${arm.endpoint} (ARM emulator${scale === 1 ? '' : `, ${scale}x emulated time`})`,
        `managed identity ${arm.managedIdentity.endpoint} (the app's DefaultAzureCredential)`,
      ],
      stop: () => arm.close(),
    };
  },
};

/** The demo world's ids and admin kubeconfigs (files, mode 0600) for scripts and the banner. */
export const demoWorld: WorldService = {
  name: 'Demo world',
  async start(state) {
    const { kube } = state.emulators;
    state.endpoints.demo = {
      resourceGroup: demoIds.resourceGroup,
      clusterId: demoIds.cluster,
      storageAccountId: demoIds.storageAccount,
      keyVaultId: demoIds.keyVault,
      postgresServerId: demoIds.postgresServer,
      identityId: demoIds.identity,
    };
    const lines = [`subscription ${demoIds.subscriptionId}, cluster ${demoIds.cluster}`];
    if (kube !== undefined) {
      state.endpoints.kubernetes = await writeKubeconfigs(
        kube,
        join(state.options.localDir, 'kube'),
        'admin',
      );
      const demoKubeconfig = Object.entries(state.endpoints.kubernetes).find(
        ([id]) => id.toLowerCase() === demoIds.cluster.toLowerCase(),
      )?.[1].kubeconfigPath;
      if (demoKubeconfig !== undefined) {
        lines.push(`kubectl --kubeconfig ${shownPath(demoKubeconfig)} get secrets,serviceaccounts -A`);
      }
    }
    return { name: 'Demo world', lines, stop: () => Promise.resolve() };
  },
};

/** The Event Grid function ARM events go to, once the app registers it. */
export const armEventsFunction = 'armEvents';

/**
 * ARM's system topic subscription: every ARM write and delete becomes an Event Grid event posted to
 * the host's `armEvents` function (validation handshake first, as Event Grid does). Runs after the
 * host, which must be serving for the handshake.
 */
export const armEvents: WorldService = {
  name: 'ARM events',
  async start(state) {
    const { arm } = state.emulators;
    const host = state.host;
    if (arm === undefined || host === undefined) {
      return { name: 'ARM events', lines: [], stop: () => Promise.resolve() };
    }
    const target = host.functions.find(
      (f) => f.name === armEventsFunction && f.trigger.toLowerCase() === 'eventgridtrigger',
    );
    if (target === undefined) {
      return {
        name: 'ARM events',
        lines: [`recorded only: the app has no Event Grid function named ${armEventsFunction} yet`],
        stop: () => Promise.resolve(),
      };
    }
    const key = host.keys.systemKeys['eventgrid_extension'] ?? '';
    const base = host.httpsUrl ?? host.url;
    await arm.setEventDelivery({
      url: `${base}/runtime/webhooks/eventgrid?functionName=${armEventsFunction}&code=${key}`,
    });
    return {
      name: 'ARM events',
      lines: [`delivered to ${base}/runtime/webhooks/eventgrid?functionName=${armEventsFunction}`],
      // Before the host stops: no deliveries to a host that is going away.
      stop: () => arm.setEventDelivery(undefined),
    };
  },
};
