/**
 * `createAzurePorts`: every Azure port over one set of typed clients and one REST pipeline, all with
 * the same endpoint, credential and capped retry policy. Nothing is built until a port is used.
 */
import type { TokenCredential } from '@azure/core-auth';
import { createArmRest, type ArmRest } from './arm-rest.js';
import { createClusterPort } from './cluster-port.js';
import type { AdapterDeps } from './deps.js';
import { createIdentityPort, createRoleAssignmentPort } from './identity-ports.js';
import { createNetworkPort } from './network-port.js';
import type { AzurePorts } from './ports.js';
import { createExtensionPort, createProviderPort } from './provider-and-extension-ports.js';
import type { ArmRetryOptions } from './retry-policy.js';
import { SdkClients } from './sdk-clients.js';
import { createTargetPort } from './target-port.js';

export interface AzurePortsOptions {
  /** The ARM endpoint, e.g. `https://management.azure.com` (the token scope is `<endpoint>/.default`). */
  readonly endpoint: string;
  readonly credential: TokenCredential;
  /** In-process retries of every call (ADR 0073); the defaults keep one call under ~10 s of waiting. */
  readonly retry?: ArmRetryOptions;
}

/** The ports, plus what tests and diagnostics look at (the clients built so far, the REST pipeline). */
export interface AzurePortsWithInternals extends AzurePorts {
  readonly internals: { readonly clients: SdkClients; readonly rest: ArmRest };
}

export function createAzurePorts(options: AzurePortsOptions): AzurePortsWithInternals {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const deps: AdapterDeps = {
    clients: new SdkClients({ endpoint, credential: options.credential, retry: options.retry }),
    rest: createArmRest({ endpoint, credential: options.credential, retry: options.retry }),
  };
  return {
    clusters: createClusterPort(deps),
    providers: createProviderPort(deps),
    extensions: createExtensionPort(deps),
    network: createNetworkPort(deps),
    identities: createIdentityPort(deps),
    roleAssignments: createRoleAssignmentPort(deps),
    targets: createTargetPort(deps),
    internals: deps,
  };
}
