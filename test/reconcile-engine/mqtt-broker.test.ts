/**
 * The IoT Operations MQTT broker as a target for workloads on its own cluster (ADR 0120), end to
 * end on the emulators: the Secret's keys from the `default` listener, the connection's
 * ServiceAccount, the CA trust bundle copied (and kept in sync), no firewall, role or federated
 * credential, a broker on another cluster refused, a missing bundle waited for, and a converged
 * pass that writes nothing.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { listConnectionConfigurations } from '../../shared/reconcile/engine/list-configurations.js';
import { validateConnection } from '../../shared/reconcile/engine/validate.js';
import {
  arcClusterId,
  armWrites,
  clusterId,
  kubeWrites,
  newWorld,
  useEmulators,
  type World,
} from './harness.js';
import { brokerId, iotSeed } from './iot-world.js';

const emulators = useEmulators(iotSeed);
const bundle = 'azure-iot-operations-aio-ca-trust-bundle';
let world: World;

const body = (extra: Record<string, unknown> = {}) => ({
  properties: {
    targetService: { type: 'AzureResource', id: brokerId },
    authInfo: { authType: 'serviceAccountToken' },
    scope: 'telemetry',
    ...extra,
  },
});

function core(onCluster = arcClusterId): CoreV1Api {
  const cluster = emulators().kube.cluster(onCluster);
  if (cluster === undefined) throw new Error('no cluster');
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig('admin'));
  return kc.makeApiClient(CoreV1Api);
}

function secretData(namespace: string, name: string): Record<string, string> {
  const secret = emulators().kube.cluster(arcClusterId)?.get('v1', 'Secret', namespace, name);
  return Object.fromEntries(
    Object.entries((secret?.['data'] ?? {}) as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
}

const copied = () =>
  emulators().kube.cluster(arcClusterId)?.get('v1', 'ConfigMap', 'telemetry', bundle) as
    { data?: Record<string, string>; metadata: { labels?: Record<string, string> } } | undefined;

async function steps(name: string, onCluster = arcClusterId) {
  const stored = await world.connection(name, onCluster);
  return Object.fromEntries((stored?.status ?? []).map((s) => [s.name, [s.result, s.reasonCode]]));
}

beforeEach(async () => {
  world = await newWorld(emulators());
});

describe('an MQTT broker connection on the cluster that runs the broker', () => {
  it('writes the listener keys, its ServiceAccount and the CA bundle copy, and nothing in Azure', async () => {
    await world.put('telemetry', body(), arcClusterId);
    const since = Date.now();
    expect((await world.converge(arcClusterId)).outcome).toBe('converged');
    expect(secretData('telemetry', 'sc-telemetry-secret')).toEqual({
      AZURE_MQTT_BROKER_HOST: 'aio-broker.azure-iot-operations.svc.cluster.local',
      AZURE_MQTT_BROKER_PORT: '18883',
      AZURE_MQTT_BROKER_TLS: 'true',
      AZURE_MQTT_BROKER_AUTHENTICATION_METHOD: 'K8S-SAT',
      AZURE_MQTT_BROKER_SAT_AUDIENCE: 'aio-internal',
      AZURE_MQTT_BROKER_CA_CONFIGMAP: bundle,
    });
    const cluster = emulators().kube.cluster(arcClusterId);
    expect(cluster?.get('v1', 'ServiceAccount', 'telemetry', 'sc-account-mqtt-telemetry')).toBeDefined();
    const source = cluster?.get('v1', 'ConfigMap', 'azure-iot-operations', bundle) as {
      data: Record<string, string>;
    };
    expect(copied()?.data).toEqual({ 'ca.crt': source.data['ca.crt'] });
    expect(copied()?.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'connector-functions',
    });
    // Only the extension is written in ARM: no firewall rule, role assignment or credential.
    expect(
      armWrites(emulators().arm, since).filter((w) => !/\/extensions\/sc-extension/i.test(w.path)),
    ).toEqual([]);
    expect(await steps('telemetry')).toMatchObject({
      Configuration: ['Succeeded', 'ConfigurationReady'],
      KubernetesSecret: ['Succeeded', 'SecretUpToDate'],
      KubernetesServiceAccount: ['Succeeded', 'ServiceAccountUpToDate'],
      KubernetesCaTrustBundle: ['Succeeded', 'CaTrustBundleUpToDate'],
      Firewall: ['Skipped', 'InClusterTarget'],
      WorkloadIdentity: ['Skipped', 'InClusterTarget'],
      FederatedCredential: ['Skipped', 'InClusterTarget'],
      RoleAssignment: ['Skipped', 'InClusterTarget'],
    });
    expect((await world.connection('telemetry', arcClusterId))?.provisioningState).toBe('Succeeded');
  });

  it('makes no ARM or Kubernetes write on a converged second pass', async () => {
    await world.put('telemetry', body(), arcClusterId);
    await world.converge(arcClusterId);
    const armSince = Date.now();
    const kubeFrom = emulators().kube.cluster(arcClusterId)?.requests.length ?? 0;
    await world.reconcile(arcClusterId);
    expect(armWrites(emulators().arm, armSince)).toEqual([]);
    expect(kubeWrites(emulators().kube, arcClusterId, kubeFrom)).toEqual([]);
  });

  it('honours customizedKeys and additionalConfigurations', async () => {
    await world.put(
      'renamed',
      body({
        configurationInfo: {
          customizedKeys: { AZURE_MQTT_BROKER_HOST: 'MQTT_HOST' },
          additionalConfigurations: { MQTT_TOPIC: 'telemetry/#' },
        },
      }),
      arcClusterId,
    );
    await world.converge(arcClusterId);
    const data = secretData('telemetry', 'sc-renamed-secret');
    expect(data['MQTT_HOST']).toBe('aio-broker.azure-iot-operations.svc.cluster.local');
    expect(data['AZURE_MQTT_BROKER_HOST']).toBeUndefined();
    expect(data['MQTT_TOPIC']).toBe('telemetry/#');
  });

  it('still writes the ServiceAccount and the CA copy when the Secret is opted out', async () => {
    await world.put('manual', body({ configurationInfo: { action: 'optOut' } }), arcClusterId);
    expect((await world.converge(arcClusterId)).outcome).toBe('converged');
    const cluster = emulators().kube.cluster(arcClusterId);
    expect(cluster?.get('v1', 'Secret', 'telemetry', 'sc-manual-secret')).toBeUndefined();
    expect(cluster?.get('v1', 'ServiceAccount', 'telemetry', 'sc-account-mqtt-manual')).toBeDefined();
    expect(copied()).toBeDefined();
  });

  it('updates the copy when IoT Operations rotates its CA', async () => {
    await world.put('telemetry', body(), arcClusterId);
    await world.converge(arcClusterId);
    const rotated = '-----BEGIN CERTIFICATE-----\nROTATED\n-----END CERTIFICATE-----\n';
    await core().patchNamespacedConfigMap({
      name: bundle,
      namespace: 'azure-iot-operations',
      body: [{ op: 'replace', path: '/data/ca.crt', value: rotated }],
    });
    await world.converge(arcClusterId);
    expect(copied()?.data).toEqual({ 'ca.crt': rotated });
  });

  it('waits for a missing CA bundle (InProgress) and copies it once it appears', async () => {
    const source = emulators()
      .kube.cluster(arcClusterId)
      ?.get('v1', 'ConfigMap', 'azure-iot-operations', bundle) as {
      data: Record<string, string>;
    };
    await core().deleteNamespacedConfigMap({ name: bundle, namespace: 'azure-iot-operations' });
    await world.put('telemetry', body(), arcClusterId);
    const first = await world.reconcile(arcClusterId);
    expect(first.requeueAfterMs).toBeDefined();
    expect(await steps('telemetry')).toMatchObject({
      KubernetesSecret: ['Succeeded', 'SecretUpToDate'],
      KubernetesCaTrustBundle: ['InProgress', 'CaTrustBundleNotFound'],
    });
    expect(copied()).toBeUndefined();
    await core().createNamespacedConfigMap({
      namespace: 'azure-iot-operations',
      body: { metadata: { name: bundle }, data: { 'ca.crt': source.data['ca.crt'] ?? '' } },
    });
    expect((await world.converge(arcClusterId)).outcome).toBe('converged');
    expect(copied()?.data).toEqual({ 'ca.crt': source.data['ca.crt'] });
    expect((await steps('telemetry'))['KubernetesCaTrustBundle']).toEqual([
      'Succeeded',
      'CaTrustBundleUpToDate',
    ]);
  });

  it('lists the keys, and validateLinker reports the broker checks', async () => {
    await world.put('telemetry', body(), arcClusterId);
    await world.converge(arcClusterId);
    const record = await world.connection('telemetry', arcClusterId);
    if (record === undefined) throw new Error('no connection');
    const listed = await listConnectionConfigurations(world.runtime.engine, record);
    expect(listed.ok && listed.configurations.map((c) => c.name)).toContain('AZURE_MQTT_BROKER_HOST');
    const report = await validateConnection(world.runtime.engine, record);
    expect(report.isConnectionAvailable).toBe(true);
    expect(report.validationDetail).toContainEqual(
      expect.objectContaining({ name: 'BrokerOnThisCluster', result: 'success' }),
    );
    expect(report.validationDetail).toContainEqual(
      expect.objectContaining({ name: 'KubernetesCaTrustBundle', result: 'success' }),
    );
  });
});

describe('deleting an MQTT broker connection with ForcedCleanup', () => {
  it('removes its Secret, its ServiceAccount and the CA bundle copy no other connection uses', async () => {
    const cleanup = { configurationInfo: { deleteOrUpdateBehavior: 'ForcedCleanup' } };
    await world.put('telemetry', body(cleanup), arcClusterId);
    await world.put('alarms', body(cleanup), arcClusterId);
    await world.converge(arcClusterId);
    const cluster = emulators().kube.cluster(arcClusterId);
    await world.remove('telemetry', arcClusterId);
    await world.converge(arcClusterId);
    expect(cluster?.get('v1', 'ServiceAccount', 'telemetry', 'sc-account-mqtt-telemetry')).toBeUndefined();
    expect(cluster?.get('v1', 'Secret', 'telemetry', 'sc-telemetry-secret')).toBeUndefined();
    expect(copied()).toBeDefined();
    await world.remove('alarms', arcClusterId);
    await world.converge(arcClusterId);
    expect(cluster?.get('v1', 'ServiceAccount', 'telemetry', 'sc-account-mqtt-alarms')).toBeUndefined();
    expect(copied()).toBeUndefined();
  });
});

describe('an MQTT broker connection on another cluster', () => {
  it('fails the Configuration step with BrokerOnAnotherCluster and writes nothing in the namespace', async () => {
    await world.put('elsewhere', body(), clusterId);
    await world.converge(clusterId);
    const stored = await world.connection('elsewhere', clusterId);
    const config = stored?.status?.find((s) => s.name === 'Configuration');
    expect(config).toMatchObject({ result: 'Failed', reasonCode: 'BrokerOnAnotherCluster' });
    expect(config?.mitigation).toContain(arcClusterId);
    expect(stored?.provisioningState).toBe('Failed');
    expect(
      emulators().kube.cluster(clusterId)?.get('v1', 'Secret', 'telemetry', 'sc-elsewhere-secret'),
    ).toBeUndefined();
    if (stored === undefined) throw new Error('no connection');
    const report = await validateConnection(world.runtime.engine, stored);
    expect(report.validationDetail).toContainEqual(
      expect.objectContaining({
        name: 'BrokerOnThisCluster',
        result: 'failure',
        errorCode: 'BrokerOnAnotherCluster',
      }),
    );
  });
});
