/**
 * Act 2 (issue 8): automatic. A connection template matches clusters by tag; a new AKS cluster with
 * that tag is created through ARM (ContainerServiceClient, as `az aks create` does); ARM's event
 * reaches the connector, and the cluster's connection appears and converges with no call to the
 * linker API: the demo only watches GET .../linkers of the new cluster.
 */
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { Linker } from './demo-api.js';
import { clusterEgress, lastSegment, parseId } from './demo-azure.js';
import type { DemoContext } from './demo-context.js';
import { kubeFromArm } from './demo-kube.js';
import { showConnection, showKubernetesObjects, untilConnectionConverges } from './demo-show.js';
import { secondsSince } from './demo-wait.js';
import { shownPath } from './emulated-services.js';

export const demoTemplate = {
  name: 'demo-orders',
  tag: { name: 'connector-demo', value: 'orders' },
  connectionName: 'orders_blob',
  namespace: 'orders',
  clusterName: 'aks-demo-orders',
} as const;

export interface TemplateOutcome {
  readonly clusterId: string;
  readonly connection: Linker;
  readonly kubeconfigPath: string;
  /** From the create request to the connection's terminal state. */
  readonly convergedSeconds: number;
  readonly createdSeconds: number;
}

async function putTemplate(ctx: DemoContext): Promise<void> {
  const identity = await ctx.identity();
  const { name, tag, connectionName, namespace } = demoTemplate;
  const answer = await ctx.api.putTemplate(name, {
    properties: {
      selector: { tags: { [tag.name]: tag.value }, clusterKinds: ['managedClusters'] },
      connection: {
        name: connectionName,
        properties: {
          targetService: { type: 'AzureResource', id: `${ctx.ids.storageAccountId}/blobServices/default` },
          authInfo: {
            authType: 'userAssignedIdentity',
            clientId: identity.clientId,
            subscriptionId: ctx.subscriptionId,
          },
          clientType: 'none',
          scope: namespace,
        },
      },
    },
  });
  ctx.say.step(`PUT ${ctx.api.url(`/connectionTemplates/${name}`)} -> ${answer.status}`);
  ctx.say.detail(`selector: managed clusters tagged ${tag.name}=${tag.value}`);
  ctx.say.detail(
    `connection ${connectionName}: blob storage of ${lastSegment(ctx.ids.storageAccountId)}, workload identity through ${identity.name}, namespace ${namespace}`,
  );
}

function clusterBody(location: string): ManagedCluster {
  const { tag, clusterName } = demoTemplate;
  return {
    location,
    tags: { [tag.name]: tag.value },
    identity: { type: 'SystemAssigned' },
    dnsPrefix: clusterName,
    kubernetesVersion: '1.33.5',
    agentPoolProfiles: [{ name: 'system', mode: 'System', count: 2, vmSize: 'Standard_D4ds_v5' }],
    networkProfile: {
      outboundType: 'loadBalancer',
      loadBalancerProfile: { managedOutboundIPs: { count: 1 } },
    },
  };
}

async function createCluster(ctx: DemoContext, start: number): Promise<ManagedCluster> {
  const { resourceGroup } = parseId(ctx.ids.clusterId);
  const seeded = await ctx.azure.aks.managedClusters.get(resourceGroup, lastSegment(ctx.ids.clusterId));
  const { tag, clusterName } = demoTemplate;
  ctx.say.step(
    `ARM, as you: create AKS cluster ${clusterName} (ContainerServiceClient.managedClusters.createOrUpdate)`,
  );
  ctx.say.detail(
    `tag ${tag.name}=${tag.value}; node pool system (2 nodes); load balancer with 1 managed outbound IP`,
  );
  const cluster = await ctx.azure.aks.managedClusters.createOrUpdate(
    resourceGroup,
    clusterName,
    clusterBody(seeded.location),
    {
      abortSignal: ctx.signal,
      updateIntervalInMs: 1000,
    },
  );
  ctx.say.detail(`+${secondsSince(start)}  ARM: ${clusterName} ${cluster.provisioningState ?? 'created'}`);
  return cluster;
}

async function showNewEgressRule(ctx: DemoContext, cluster: ManagedCluster): Promise<void> {
  const egress = await clusterEgress(ctx.azure, cluster);
  const storage = parseId(ctx.ids.storageAccountId);
  const account = await ctx.azure.storage.storageAccounts.getProperties(storage.resourceGroup, storage.name);
  const rules = new Set((account.networkRuleSet?.ipRules ?? []).map((r) => r.iPAddressOrRange));
  ctx.say.heading(`Firewall of ${storage.name} (ARM) for ${demoTemplate.clusterName}'s egress`);
  ctx.say.table(egress.map((e) => [e.range, e.source, rules.has(e.range) ? 'admitted' : 'NOT admitted']));
}

export async function templateAct(ctx: DemoContext): Promise<TemplateOutcome> {
  ctx.say.act('Act 2 - Automatic: a connection template, then a new cluster created through ARM');
  await putTemplate(ctx);
  const start = performance.now();
  const created = await createCluster(ctx, start);
  const createdSeconds = (performance.now() - start) / 1000;
  const clusterId =
    created.id ??
    `${ctx.ids.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${demoTemplate.clusterName}`;
  ctx.say.step(
    `Nobody calls the API: the demo only watches GET ${ctx.api.url(`/.../managedClusters/${demoTemplate.clusterName}/providers/Microsoft.ServiceLinker/linkers`)}`,
  );
  const converged = await untilConnectionConverges(ctx, clusterId, demoTemplate.connectionName, start);
  const convergedSeconds = (performance.now() - start) / 1000;
  ctx.say.detail(
    `${demoTemplate.connectionName} ${converged.properties.provisioningState ?? '?'} ${secondsSince(start)} after the create request`,
  );
  ctx.say.blank();
  const connection = await showConnection(ctx, clusterId, demoTemplate.connectionName);
  const state = connection.properties.provisioningState;
  if (state !== 'Succeeded')
    throw new Error(`${demoTemplate.connectionName} ${state ?? '?'}: see the steps above`);
  const kube = await kubeFromArm(ctx.azure, clusterId, ctx.kubeDir);
  ctx.say.blank();
  ctx.say.heading(
    `Kubernetes of ${demoTemplate.clusterName}: admin kubeconfig from ARM (listClusterAdminCredential) in ${shownPath(kube.kubeconfigPath)}`,
  );
  await showKubernetesObjects(ctx, kube, connection);
  ctx.say.blank();
  await showNewEgressRule(
    ctx,
    await ctx.azure.aks.managedClusters.get(parseId(clusterId).resourceGroup, demoTemplate.clusterName),
  );
  return { clusterId, connection, kubeconfigPath: kube.kubeconfigPath, convergedSeconds, createdSeconds };
}
