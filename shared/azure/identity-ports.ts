/**
 * User-assigned identities, their federated credentials and role assignments, all through the
 * typed clients. The write bodies are ones the planners author whole (issuer/subject/audiences;
 * role definition/principal/type), so the SDK models express them exactly: every field of these
 * REST bodies sits under `properties`, which the classic models flatten one level (ADR 0072).
 */
import type { RoleAssignmentCreateParameters } from '@azure/arm-authorization';
import type { FederatedIdentityCredential } from '@azure/arm-msi';
import { TerminalError } from '../errors/index.js';
import type { ArmChild, ArmResource } from '../targets/arm-body.js';
import type { AdapterDeps } from './deps.js';
import { isArmCode } from './failures.js';
import type { IdentityPort, RoleAssignmentPort } from './ports.js';
import { isObject, resourceOf } from './reply.js';
import { groupResource, nameAt, subscriptionOf } from './resource-ids.js';
import { sdkCall, sdkDelete, sdkList, sdkRead } from './sdk-call.js';

const identityType = 'Microsoft.ManagedIdentity/userAssignedIdentities';
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function clientIdOf(item: unknown): string | undefined {
  const properties = isObject(item) ? item['properties'] : undefined;
  const clientId = isObject(properties) ? properties['clientId'] : undefined;
  return typeof clientId === 'string' ? clientId : undefined;
}

function children(items: readonly unknown[]): ArmChild[] {
  return items.flatMap((item) => (isObject(item) ? [item as ArmChild] : []));
}

/** The flattened model of a body whose fields all sit under `properties`. */
function model<T>(body: ArmResource): T {
  return { ...(body.properties ?? {}) } as T;
}

function requireGuid(value: string, what: string): void {
  if (!guid.test(value)) {
    throw new TerminalError(`${what} '${value}' is not a GUID.`, { reason: 'InvalidRequest', target: value });
  }
}

export function createIdentityPort({ clients, rest }: AdapterDeps): IdentityPort {
  const identity = (identityId: string) => {
    const id = groupResource(identityId, identityType);
    return { msi: clients.msi(id.subscriptionId), rg: id.resourceGroup, name: nameAt(id, 0) };
  };

  return {
    async findUserAssignedIdentity(subscriptionId, clientId) {
      const wanted = clientId.toLowerCase();
      const matches = (item: unknown): boolean => clientIdOf(item)?.toLowerCase() === wanted;
      const path = `/subscriptions/${subscriptionId}/providers/${identityType}`;
      const items = await sdkList(
        rest,
        path,
        clients.msi(subscriptionId),
        (msi, onResponse) => msi.userAssignedIdentities.listBySubscription({ onResponse }).byPage().next(),
        { until: matches },
      );
      return resourceOf(items.find(matches));
    },

    async getIdentity(identityId) {
      const { msi, rg, name } = identity(identityId);
      const reply = await sdkRead(identityId, msi, (client, onResponse) =>
        client.userAssignedIdentities.get(rg, name, { onResponse }),
      );
      return resourceOf(reply?.body);
    },

    async listFederatedCredentials(identityId) {
      const { msi, rg, name } = identity(identityId);
      const items = await sdkList(
        rest,
        `${identityId}/federatedIdentityCredentials`,
        msi,
        (client, onResponse) =>
          client.federatedIdentityCredentials.list(rg, name, { onResponse }).byPage().next(),
      );
      return children(items);
    },

    async putFederatedCredential(identityId, credentialName, body) {
      const { msi, rg, name } = identity(identityId);
      const target = `${identityId}/federatedIdentityCredentials/${credentialName}`;
      const parameters = model<FederatedIdentityCredential>(body);
      await sdkCall(target, msi, (client, onResponse) =>
        client.federatedIdentityCredentials.createOrUpdate(rg, name, credentialName, parameters, {
          onResponse,
        }),
      );
    },

    async deleteFederatedCredential(identityId, credentialName) {
      const { msi, rg, name } = identity(identityId);
      const target = `${identityId}/federatedIdentityCredentials/${credentialName}`;
      return await sdkDelete(target, msi, (client, onResponse) =>
        client.federatedIdentityCredentials.delete(rg, name, credentialName, { onResponse }),
      );
    },
  };
}

export function createRoleAssignmentPort({ clients, rest }: AdapterDeps): RoleAssignmentPort {
  return {
    async listForPrincipal(scope, principalId) {
      requireGuid(principalId, 'The principal id');
      const authorization = clients.authorization(subscriptionOf(scope));
      const path = `${scope}/providers/Microsoft.Authorization/roleAssignments`;
      // With this filter ARM returns the principal's assignments at, above and below the scope.
      const filter = `principalId eq '${principalId}'`;
      const items = await sdkList(rest, path, authorization, (client, onResponse) =>
        client.roleAssignments.listForScope(scope, { filter, onResponse }).byPage().next(),
      );
      return children(items);
    },

    async create(scope, name, body) {
      requireGuid(name, 'The role assignment name');
      const authorization = clients.authorization(subscriptionOf(scope));
      const target = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
      const parameters = model<RoleAssignmentCreateParameters>(body);
      try {
        await sdkCall(target, authorization, (client, onResponse) =>
          client.roleAssignments.create(scope, name, parameters, { onResponse }),
        );
        return 'created';
      } catch (error) {
        // The same principal, role and scope under another name: what we wanted exists.
        if (isArmCode(error, 'RoleAssignmentExists')) return 'exists';
        throw error;
      }
    },

    async delete(roleAssignmentId) {
      const authorization = clients.authorization(subscriptionOf(roleAssignmentId));
      return await sdkDelete(roleAssignmentId, authorization, (client, onResponse) =>
        client.roleAssignments.deleteById(roleAssignmentId, { onResponse }),
      );
    },
  };
}
