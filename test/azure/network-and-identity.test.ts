import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typedApiVersions } from '../../shared/azure/api-versions.js';
import { roles } from '../../shared/targets/roles.js';
import { armIdKey } from '../../shared/util/arm-id.js';
import {
  demoIds,
  demoSubscriptionId,
  lines,
  startAzureWorld,
  targetIds,
  type AzureWorld,
  anyString,
  anyArray,
  matching,
  containing,
} from './world.js';

let world: AzureWorld;
beforeAll(async () => {
  world = await startAzureWorld();
});
afterAll(async () => await world?.close());

const nodeResourceGroup = demoIds.nodeResourceGroup.split('/').pop() ?? '';

function onlyResource(type: string, match: (id: string) => boolean = () => true): string {
  const found = world.emulator
    .resources(type)
    .map((r) => String(r['id']))
    .filter(match);
  if (found.length === 0) throw new Error(`no ${type} in the demo world`);
  return found[0] as string;
}

describe('NetworkPort', () => {
  it('reads public IPs, prefixes, subnets, NSGs and ASGs in REST shape, one GET each, a 404 as undefined', async () => {
    const cluster = await world.ports.clusters.getCluster(demoIds.cluster);
    const outbound = (
      cluster?.body.properties?.['networkProfile'] as {
        loadBalancerProfile: { effectiveOutboundIPs: { id: string }[] };
      }
    ).loadBalancerProfile.effectiveOutboundIPs.map((r) => r.id);
    const subnet = onlyResource('Microsoft.Network/virtualNetworks/subnets');
    const nsg = onlyResource('Microsoft.Network/networkSecurityGroups');
    const asg = onlyResource('Microsoft.Network/applicationSecurityGroups');
    const gone = `${demoIds.resourceGroup}/providers/Microsoft.Network/publicIPAddresses/gone`;
    const ids = [...outbound, demoIds.nodePublicIpPrefix, subnet, nsg, asg, gone];
    let read = new Map<string, unknown>();
    const requests = await world.requestsOf(async () => {
      read = new Map(await world.ports.network.read(ids));
    });
    expect(requests).toHaveLength(ids.length);
    expect(
      requests.every((r) => r.method === 'GET' && r.apiVersion === typedApiVersions['Microsoft.Network/*']),
    ).toBe(true);
    for (const id of outbound) {
      expect(read.get(armIdKey(id))).toMatchObject({
        properties: { ipAddress: matching(/^\d+\.\d+\.\d+\.\d+$/) },
      });
    }
    expect(read.get(armIdKey(demoIds.nodePublicIpPrefix))).toMatchObject({
      properties: { prefixLength: 28, ipPrefix: anyString },
    });
    expect(read.get(armIdKey(subnet))).toMatchObject({ properties: { addressPrefix: anyString } });
    expect(read.get(armIdKey(nsg))).toMatchObject({ properties: { securityRules: anyArray } });
    expect(read.get(armIdKey(asg))).toMatchObject({ id: asg });
    expect(read.has(armIdKey(gone))).toBe(true);
    expect(read.get(armIdKey(gone))).toBeUndefined();
  });

  it('lists no instance public IPs, with one request, when the node resource group is gone', async () => {
    const requests = await world.requestsOf(async () => {
      expect(await world.ports.network.nodePoolPublicIps(demoSubscriptionId, 'MC_gone', 'games')).toEqual([]);
    });
    expect(requests.map((r) => r.status)).toEqual([404]);
  });

  it.each([
    ['games', 3, 2],
    ['system', 0, 2],
    ['nopool', 0, 1],
  ])(
    "lists the instance public IPs of the '%s' pool (%i) from its tagged scale sets with %i requests",
    async (pool, count, requestCount) => {
      let ips: Awaited<ReturnType<typeof world.ports.network.nodePoolPublicIps>> = [];
      const requests = await world.requestsOf(async () => {
        ips = await world.ports.network.nodePoolPublicIps(demoSubscriptionId, nodeResourceGroup, pool);
      });
      expect(ips).toHaveLength(count);
      for (const ip of ips) {
        expect(ip).toMatchObject({
          type: 'Microsoft.Network/publicIPAddresses',
          properties: { ipAddress: anyString, publicIPPrefix: { id: demoIds.nodePublicIpPrefix } },
        });
      }
      expect(requests).toHaveLength(requestCount);
      expect(requests[0]?.apiVersion).toBe(typedApiVersions['Microsoft.Compute/virtualMachineScaleSets']);
      expect(requests.slice(1).map((r) => r.apiVersion)).toEqual(
        requests
          .slice(1)
          .map(() => typedApiVersions['Microsoft.Compute/virtualMachineScaleSets/publicIPAddresses']),
      );
    },
  );

  it.each([
    ['games', 'the managed ASG AKS created for its allowed host ports', 1],
    ['system', 'none: it has no allowed host ports', 0],
    ['nopool', 'none: no scale set carries that pool tag', 0],
  ])(
    "finds the application security groups of the '%s' pool on its scale sets: %s",
    async (pool, _what, count) => {
      const asgs = await world.ports.network.nodePoolApplicationSecurityGroups(
        demoSubscriptionId,
        nodeResourceGroup,
        pool,
      );
      expect(asgs).toHaveLength(count);
      if (count > 0) {
        expect(asgs).toEqual([onlyResource('Microsoft.Network/applicationSecurityGroups')]);
      }
    },
  );

  it('starts a security rule PUT with the initial request only, and stores the body exactly as given', async () => {
    const nsg = onlyResource('Microsoft.Network/networkSecurityGroups');
    const asg = onlyResource('Microsoft.Network/applicationSecurityGroups');
    const properties = {
      description: 'connector-functions host ports',
      protocol: 'Tcp',
      sourcePortRange: '*',
      sourceAddressPrefix: 'Internet',
      destinationPortRanges: ['41000-41009'],
      destinationApplicationSecurityGroups: [{ id: asg }],
      access: 'Allow',
      priority: 3900,
      direction: 'Inbound',
    };
    let started: Awaited<ReturnType<typeof world.ports.network.putSecurityRule>> | undefined;
    const requests = await world.requestsOf(async () => {
      started = await world.ports.network.putSecurityRule(nsg, 'cf-hostports', { properties });
      await world.emulator.operations.idle();
    });
    expect(started?.state).toBe('accepted');
    expect(lines(requests)).toEqual([`PUT ${nsg}/securityRules/cf-hostports 201`]);
    expect(world.emulator.resource(`${nsg}/securityRules/cf-hostports`)?.['properties']).toMatchObject({
      ...properties,
      provisioningState: 'Succeeded',
    });
  });

  it('deletes a security rule with one request, and a missing one is absent', async () => {
    const nsg = onlyResource('Microsoft.Network/networkSecurityGroups');
    const properties = {
      protocol: 'Udp',
      sourcePortRange: '*',
      destinationPortRange: '42000',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '*',
      access: 'Allow',
      priority: 3950,
      direction: 'Inbound',
    };
    await world.ports.network.putSecurityRule(nsg, 'cf-delete-me', { properties });
    await world.emulator.operations.idle();
    let outcome: string | undefined;
    const requests = await world.requestsOf(async () => {
      outcome = await world.ports.network.deleteSecurityRule(nsg, 'cf-delete-me');
      await world.emulator.operations.idle();
    });
    expect(outcome).toBe('deleted');
    expect(requests.map((r) => r.method)).toEqual(['DELETE']);
    expect(await world.ports.network.deleteSecurityRule(nsg, 'cf-delete-me')).toBe('absent');
  });
});

describe('IdentityPort', () => {
  const identity = () =>
    world.emulator.resource(demoIds.identity)?.['properties'] as { clientId: string; principalId: string };

  it('finds a user-assigned identity by client id, case-insensitively, with one list request', async () => {
    let found: Awaited<ReturnType<typeof world.ports.identities.findUserAssignedIdentity>>;
    const requests = await world.requestsOf(async () => {
      found = await world.ports.identities.findUserAssignedIdentity(
        demoSubscriptionId,
        identity().clientId.toUpperCase(),
      );
    });
    expect(found?.id).toBe(demoIds.identity);
    expect(found?.properties).toMatchObject({
      clientId: identity().clientId,
      principalId: identity().principalId,
    });
    expect(lines(requests)).toEqual([
      `GET /subscriptions/${demoSubscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities 200`,
    ]);
  });

  it('answers undefined for a client id no identity has, and for a missing identity', async () => {
    expect(
      await world.ports.identities.findUserAssignedIdentity(demoSubscriptionId, randomUUID()),
    ).toBeUndefined();
    expect(await world.ports.identities.getIdentity(`${demoIds.identity}-gone`)).toBeUndefined();
    expect((await world.ports.identities.getIdentity(demoIds.identity))?.properties).toMatchObject({
      tenantId: world.emulator.tenantId,
    });
  });

  it('puts, lists and deletes a federated credential, one request each, and a second delete is absent', async () => {
    const body = {
      properties: {
        issuer: 'https://oidc.example/issuer/',
        subject: 'system:serviceaccount:default:sc-account-123',
        audiences: ['api://AzureADTokenExchange'],
      },
    };
    const put = await world.requestsOf(() =>
      world.ports.identities.putFederatedCredential(targetIds.workloadIdentity, 'cf-aks-demo', body),
    );
    expect(lines(put)).toEqual([
      `PUT ${targetIds.workloadIdentity}/federatedIdentityCredentials/cf-aks-demo 201`,
    ]);
    let listed: Awaited<ReturnType<typeof world.ports.identities.listFederatedCredentials>> = [];
    const list = await world.requestsOf(async () => {
      listed = await world.ports.identities.listFederatedCredentials(targetIds.workloadIdentity);
    });
    expect(listed).toEqual([containing({ name: 'cf-aks-demo', properties: containing(body.properties) })]);
    expect(list).toHaveLength(1);
    expect(
      await world.ports.identities.deleteFederatedCredential(targetIds.workloadIdentity, 'cf-aks-demo'),
    ).toBe('deleted');
    expect(
      await world.ports.identities.deleteFederatedCredential(targetIds.workloadIdentity, 'cf-aks-demo'),
    ).toBe('absent');
    // The identity is gone: nothing to list, as a read of it is undefined.
    expect(await world.ports.identities.listFederatedCredentials(`${demoIds.identity}-gone`)).toEqual([]);
  });
});

describe('RoleAssignmentPort', () => {
  const assignment = (principalId: string, roleGuid: string) => ({
    properties: {
      roleDefinitionId: `/subscriptions/${demoSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType: 'ServicePrincipal',
    },
  });

  it('creates an assignment, answers exists for the same one under another name, lists and deletes it', async () => {
    const principalId = (world.emulator.resource(demoIds.identity)?.['properties'] as { principalId: string })
      .principalId;
    const body = assignment(principalId, roles.storageBlobDataContributor.roleDefinitionId);
    const name = randomUUID();
    const created = await world.requestsOf(async () => {
      expect(await world.ports.roleAssignments.create(demoIds.storageAccount, name, body)).toBe('created');
    });
    expect(created.map((r) => `${r.method} ${r.status} ${r.apiVersion ?? ''}`)).toEqual([
      `PUT 201 ${typedApiVersions['Microsoft.Authorization/roleAssignments']}`,
    ]);
    expect(await world.ports.roleAssignments.create(demoIds.storageAccount, randomUUID(), body)).toBe(
      'exists',
    );

    let listed: Awaited<ReturnType<typeof world.ports.roleAssignments.listForPrincipal>> = [];
    const list = await world.requestsOf(async () => {
      // At the resource group: the assignment below it counts too (ARM's filter semantics).
      listed = await world.ports.roleAssignments.listForPrincipal(demoIds.resourceGroup, principalId);
    });
    expect(list).toHaveLength(1);
    expect(listed.map((a) => a.name)).toEqual([name]);
    expect(listed[0]?.properties).toMatchObject({ principalId, scope: demoIds.storageAccount });

    const id = `${demoIds.storageAccount}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    expect(await world.ports.roleAssignments.delete(id)).toBe('deleted');
    expect(await world.ports.roleAssignments.delete(id)).toBe('absent');
    expect(await world.ports.roleAssignments.listForPrincipal(demoIds.storageAccount, principalId)).toEqual(
      [],
    );
  });
});
