import { ContainerServiceClient } from '@azure/arm-containerservice';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import { type KubeEmulator, startKubeEmulator } from '../../dev/kube/index.js';
import { createLocalCa } from '../../dev/tls/local-ca.js';
import {
  clientOptions,
  location,
  poll,
  resourceGroup,
  startTestEmulator,
  subscriptionId,
  uniqueName,
} from './helpers.js';

let arm: ArmEmulator;
let kube: KubeEmulator;

beforeAll(async () => {
  const ca = await createLocalCa('contract test CA');
  kube = await startKubeEmulator({ ca });
  arm = await startTestEmulator({ ca, kubernetes: kube.provider });
});
afterAll(async () => {
  await arm?.close();
  await kube?.close();
});

describe('the AKS credential operations with the Kubernetes emulator behind them', () => {
  it('hand out a kubeconfig that @kubernetes/client-node uses as is, and the cluster OIDC issuer is served', async () => {
    const aks = new ContainerServiceClient(arm.credential(), subscriptionId, clientOptions(arm));
    const name = uniqueName('aks');
    const cluster = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      {
        location,
        dnsPrefix: name,
        agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }],
        oidcIssuerProfile: { enabled: true },
      },
      poll,
    );
    for (const list of [
      aks.managedClusters.listClusterUserCredentials,
      aks.managedClusters.listClusterAdminCredentials,
    ]) {
      const credentials = await list.call(aks.managedClusters, resourceGroup, name);
      const config = new k8s.KubeConfig();
      config.loadFromString(
        Buffer.from(credentials.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString('utf8'),
      );
      const namespaces = await config.makeApiClient(k8s.CoreV1Api).listNamespace();
      expect(namespaces.items.map((n) => n.metadata?.name)).toContain('kube-system');
    }
    const discovery = await fetch(
      `${cluster.oidcIssuerProfile?.issuerURL ?? ''}.well-known/openid-configuration`,
    );
    expect(((await discovery.json()) as { issuer?: string }).issuer).toBe(
      cluster.oidcIssuerProfile?.issuerURL,
    );
  });
});
