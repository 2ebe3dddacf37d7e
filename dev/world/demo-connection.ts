/**
 * The demo connection npm start offers to create (and the world tests create): the demo cluster to
 * the demo storage account's blob service with workload identity through the demo user-assigned
 * identity, as `az aks connection create storage-blob --workload-identity` sends it.
 */
import type { ArmEmulator } from '../arm/index.js';
import type { Endpoints } from './endpoints.js';

export const demoConnectionName = 'demo_blob';

export interface DemoConnectionRequest {
  readonly url: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** The identity's client id, as ARM reports it (generated when the demo seed created it). */
export function demoIdentityClientId(arm: ArmEmulator, identityId: string): string | undefined {
  const properties = arm.resource(identityId)?.['properties'] as { clientId?: unknown } | undefined;
  return typeof properties?.clientId === 'string' ? properties.clientId : undefined;
}

export function demoConnectionRequest(
  endpoints: Endpoints,
  identityClientId: string,
): DemoConnectionRequest | undefined {
  const { host, demo, arm } = endpoints;
  if (host === undefined || demo === undefined || arm === undefined) return undefined;
  return {
    url: `${host.url}/api${demo.clusterId}/providers/Microsoft.ServiceLinker/linkers/${demoConnectionName}?api-version=2024-04-01`,
    body: {
      properties: {
        targetService: { type: 'AzureResource', id: `${demo.storageAccountId}/blobServices/default` },
        authInfo: {
          authType: 'userAssignedIdentity',
          clientId: identityClientId,
          subscriptionId: arm.subscriptionId,
        },
        clientType: 'none',
        scope: 'default',
      },
    },
  };
}

/** Ready to paste: PUT with the function key (this line carries a key). */
export function demoConnectionCurl(request: DemoConnectionRequest, functionKey: string): string {
  return (
    `curl -s -X PUT "${request.url}" -H "x-functions-key: ${functionKey}" ` +
    `-H 'content-type: application/json' -d '${JSON.stringify(request.body)}'`
  );
}
