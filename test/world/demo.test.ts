/**
 * The demo npm start runs, on the same world (startEmulatedWorld, emulated time 1000x): each act's
 * outcome is checked on the public surfaces it narrates (the connections API, ARM through the SDK
 * clients, Kubernetes through client-node), and the transcript is checked for what it must show
 * and must never show (keys, secret values).
 */
import { join } from 'node:path';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { NetworkManagementClient } from '@azure/arm-network';
import { StorageManagementClient } from '@azure/arm-storage';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { demoPostgresConnectionName } from '../../dev/world/demo-act-connect.js';
import { demoHostPorts } from '../../dev/world/demo-act-hostports.js';
import { demoTemplate } from '../../dev/world/demo-act-template.js';
import { demoConnectionName } from '../../dev/world/demo-connection.js';
import { type DemoReport, runDemo } from '../../dev/world/demo.js';
import { type EmulatedWorld, startEmulatedWorld } from '../../dev/world/emulated-world.js';

let world: EmulatedWorld;
let report: DemoReport;
const transcript: string[] = [];
const hostLog: string[] = [];
const text = () => transcript.join('\n');

const rg = demoIds.resourceGroup.split('/').at(-1) ?? '';
const name = (id: string) => id.split('/').at(-1) ?? '';
/** The test's own view of ARM: another person than the demo's user. */
const arm = () => {
  const credential = world.arm.credential('demo-test-reader');
  const options = { endpoint: world.arm.endpoint };
  return {
    aks: new ContainerServiceClient(credential, demoIds.subscriptionId, options),
    storage: new StorageManagementClient(credential, demoIds.subscriptionId, options),
    msi: new ManagedServiceIdentityClient(credential, demoIds.subscriptionId, options),
    authorization: new AuthorizationManagementClient(credential, demoIds.subscriptionId, options),
    network: new NetworkManagementClient(credential, demoIds.subscriptionId, options),
  };
};

function core(kubeconfigPath: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc.makeApiClient(CoreV1Api);
}
const demoCore = () => core(world.endpoints.kubernetes?.[demoIds.cluster]?.kubeconfigPath ?? '');

async function api(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${world.host.url}/api${path}?api-version=2024-04-01`, {
    headers: { 'x-functions-key': world.endpoints.host?.functionKey ?? '' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const linker = async (clusterId: string, linkerName: string) =>
  (await api(`${clusterId}/providers/Microsoft.ServiceLinker/linkers/${linkerName}`)).body as {
    properties: {
      provisioningState: string;
      kubernetesResourceName: string;
      kubernetesServiceAccountName: string;
    };
  };

async function identity(): Promise<{ clientId: string; principalId: string }> {
  const found = await arm().msi.userAssignedIdentities.get(rg, name(demoIds.identity));
  return { clientId: found.clientId ?? '', principalId: found.principalId ?? '' };
}

beforeAll(async () => {
  world = await startEmulatedWorld({ log: (line) => hostLog.push(line) });
  report = await runDemo({
    endpoints: world.endpoints,
    endpointsPath: world.endpointsPath,
    credential: world.arm.credential({ displayName: 'you (npm start demo)', type: 'User' }),
    kubeDir: join(world.localDir, 'kube'),
    print: (line) => transcript.push(line),
    timeoutMs: 120_000,
  });
}, 300_000);
afterAll(async () => {
  await world?.stop();
});

describe('the npm start demo', () => {
  it('plays every act to the end and closes with lines to try', () => {
    expect(report.aborted).toBe(false);
    expect(report.acts.map((a) => [a.act, a.outcome, a.error])).toEqual([
      ['connect', 'done', undefined],
      ['template', 'done', undefined],
      ['hostports', 'done', undefined],
    ]);
    expect(text()).toContain('Now try');
    expect(text()).toContain('-H "x-functions-key: $KEY"');
  });

  it('never prints a key or a secret value', async () => {
    const { functionKeys, masterKey, systemKeys } = world.host.keys;
    for (const key of [...Object.values(functionKeys), masterKey, ...Object.values(systemKeys)]) {
      expect(text()).not.toContain(key);
    }
    const pg = await linker(demoIds.cluster, demoPostgresConnectionName);
    const secret = await demoCore().readNamespacedSecret({
      name: pg.properties.kubernetesResourceName,
      namespace: 'default',
    });
    const password = Buffer.from(secret.data?.['AZURE_POSTGRESQL_PASSWORD'] ?? '', 'base64').toString();
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(text()).not.toContain(password);
    expect(text()).toMatch(/AZURE_POSTGRESQL_PASSWORD\s+\*\*\* \(\d+ bytes\)/);
  });
});

describe('act 1: a connection through the API', () => {
  it('ends with both connections Succeeded, as GET reports and the narration shows', async () => {
    for (const linkerName of [demoConnectionName, demoPostgresConnectionName]) {
      expect((await linker(demoIds.cluster, linkerName)).properties.provisioningState).toBe('Succeeded');
      expect(text()).toMatch(new RegExp(`Status of ${linkerName} \\(GET .*\\): Succeeded`));
    }
    expect(text()).toMatch(/KubernetesServiceAccount\s+Succeeded/);
  });

  it('writes the Secret (keys shown, values masked) and the annotated ServiceAccount', async () => {
    const blob = await linker(demoIds.cluster, demoConnectionName);
    const secret = await demoCore().readNamespacedSecret({
      name: blob.properties.kubernetesResourceName,
      namespace: 'default',
    });
    const keys = Object.keys(secret.data ?? {}).sort();
    expect(keys).toEqual(['AZURE_STORAGEBLOB_CLIENTID', 'AZURE_STORAGEBLOB_RESOURCEENDPOINT']);
    for (const key of keys) expect(text()).toMatch(new RegExp(`${key}\\s+\\*\\*\\* \\(\\d+ bytes\\)`));

    const { clientId } = await identity();
    const account = await demoCore().readNamespacedServiceAccount({
      name: blob.properties.kubernetesServiceAccountName,
      namespace: 'default',
    });
    expect(account.metadata?.annotations?.['azure.workload.identity/client-id']).toBe(clientId);
    expect(text()).toContain(`azure.workload.identity/client-id:  ${clientId}`);
  });

  it("admits the cluster's egress addresses on the storage account, labelled as such", async () => {
    const cluster = await arm().aks.managedClusters.get(rg, name(demoIds.cluster));
    const outbound = cluster.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs ?? [];
    const addresses = await Promise.all(
      outbound.map(async (ref) => {
        const id = ref.id ?? '';
        const group = id.split('/')[4] ?? '';
        return (await arm().network.publicIPAddresses.get(group, name(id))).ipAddress ?? '';
      }),
    );
    expect(addresses).toHaveLength(2);
    const account = await arm().storage.storageAccounts.getProperties(rg, name(demoIds.storageAccount));
    const rules = (account.networkRuleSet?.ipRules ?? []).map((r) => r.iPAddressOrRange);
    for (const address of addresses) {
      expect(rules).toContain(address);
      expect(text()).toMatch(
        new RegExp(`${address.replaceAll('.', '\\.')}\\s+aks-demo egress: load balancer outbound IP`),
      );
    }
  });

  it('assigns the identity its role on the storage account, and trusts the ServiceAccount', async () => {
    const { principalId, clientId } = await identity();
    const assigned: string[] = [];
    for await (const a of arm().authorization.roleAssignments.listForScope(demoIds.storageAccount, {
      filter: `principalId eq '${principalId}'`,
    })) {
      assigned.push(
        (await arm().authorization.roleDefinitions.getById(a.roleDefinitionId ?? '')).roleName ?? '',
      );
    }
    expect(assigned).toContain('Storage Blob Data Contributor');
    expect(text()).toMatch(/Storage Blob Data Contributor\s+scope stconnectordemo/);

    const subjects: string[] = [];
    for await (const fic of arm().msi.federatedIdentityCredentials.list(rg, name(demoIds.identity))) {
      subjects.push(fic.subject ?? '');
    }
    const subject = `system:serviceaccount:default:sc-account-${clientId}`;
    expect(subjects).toContain(subject);
    expect(text()).toContain(`subject ${subject}`);
  });
});

describe('act 2: a template, then a new cluster created through ARM', () => {
  it('converges the template connection on the new cluster', async () => {
    const clusterId = report.template?.clusterId ?? '';
    expect(name(clusterId)).toBe(demoTemplate.clusterName);
    expect((await arm().aks.managedClusters.get(rg, demoTemplate.clusterName)).tags).toMatchObject({
      [demoTemplate.tag.name]: demoTemplate.tag.value,
    });
    const listed = (await api(`${clusterId}/providers/Microsoft.ServiceLinker/linkers`)).body['value'] as {
      name: string;
      properties: { provisioningState: string };
    }[];
    expect(listed.map((l) => [l.name, l.properties.provisioningState])).toEqual([
      [demoTemplate.connectionName, 'Succeeded'],
    ]);
    expect(text()).toMatch(
      new RegExp(`${demoTemplate.connectionName} Succeeded [\\d.]+ s after the create request`),
    );
  });

  it('did so with no call to the linker API for that cluster', () => {
    const calls = hostLog.filter((l) => l.includes('api request') && l.includes(demoTemplate.clusterName));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((l) => !l.includes('"method":"GET"'))).toEqual([]);
  });

  it('put the Secret in the template namespace, read with a kubeconfig from ARM', async () => {
    const secrets = await core(report.template?.kubeconfigPath ?? '').listNamespacedSecret({
      namespace: demoTemplate.namespace,
    });
    expect(secrets.items.map((s) => s.metadata?.name)).toContain('sc-ordersblob-secret');
    expect(text()).toContain(`Secret ${demoTemplate.namespace}/sc-ordersblob-secret`);
  });
});

describe('act 3: host ports', () => {
  it('gives each echoserver pod unique host ports in 40000-59999, and the variables naming them', async () => {
    const pods = await demoCore().listNamespacedPod({
      namespace: demoHostPorts.namespace,
      labelSelector: `app=${demoHostPorts.deployment}`,
    });
    expect(pods.items).toHaveLength(demoHostPorts.replicas);
    const all: number[] = [];
    for (const pod of pods.items) {
      const container = pod.spec?.containers[0];
      const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
      for (const port of container?.ports ?? []) {
        expect(port.hostPort).toBeGreaterThanOrEqual(40000);
        expect(port.hostPort).toBeLessThanOrEqual(59999);
        expect(env[`${demoHostPorts.deployment}_PORT_${port.containerPort}_TCP_HOSTPORT`]).toBe(
          String(port.hostPort),
        );
        all.push(port.hostPort ?? 0);
        expect(text()).toContain(`${port.containerPort}/TCP -> ${port.hostPort}`);
      }
    }
    expect(new Set(all).size).toBe(2 * demoHostPorts.replicas);
  });
});
