/**
 * What GET, list and PUT return for a connection: ServiceLinker's LinkerResource, plus the status
 * list and the names of the Kubernetes objects. Secret values are never part of it: a raw secret
 * comes back as `{secretType: 'rawValue'}` and a service principal without `secret`, as ARM returns
 * `x-ms-secret` properties.
 */
import type { ConnectionRecord, ProvisioningState } from './connection.js';
import type { AuthInfoSpec, LinkerSpecOf } from './linker-spec.js';
import { kubernetesSecretName, kubernetesServiceAccountName } from './linker-names.js';
import { linkerId } from './source.js';
import type { StatusStep } from './status.js';

export const linkerResourceType = 'microsoft.servicelinker/linkers';

export type PublicAuthInfo = Readonly<Record<string, unknown>> & { readonly authType: string };

export interface LinkerPropertiesView {
  readonly targetService: LinkerSpecOf<unknown>['targetService'];
  readonly authInfo: PublicAuthInfo;
  readonly clientType: string;
  readonly scope: string;
  readonly publicNetworkSolution: Readonly<Record<string, unknown>>;
  readonly configurationInfo: Readonly<Record<string, unknown>>;
  readonly secretStore?: { readonly keyVaultId: string };
}

export interface LinkerView {
  readonly id: string;
  readonly name: string;
  readonly type: typeof linkerResourceType;
  readonly etag: string;
  readonly systemData: { readonly createdAt: string; readonly lastModifiedAt: string };
  readonly properties: LinkerPropertiesView & {
    readonly provisioningState: ProvisioningState;
    readonly kubernetesResourceName: string;
    readonly kubernetesServiceAccountName?: string;
    readonly status: readonly StatusStep[];
  };
}

/** An entity tag is a quoted string (RFC 9110); the same text is the header and the `etag` property. */
export function formatEtag(revision: string): string {
  return `"${revision}"`;
}

export function publicAuthInfo(auth: AuthInfoSpec<unknown>): PublicAuthInfo {
  switch (auth.authType) {
    case 'secret': {
      const info = auth.secretInfo;
      const secretInfo =
        info === undefined ? undefined : info.secretType === 'rawValue' ? { secretType: 'rawValue' } : info;
      return {
        authType: auth.authType,
        authMode: auth.authMode,
        ...(auth.name === undefined ? {} : { name: auth.name }),
        ...(secretInfo === undefined ? {} : { secretInfo }),
      };
    }
    case 'userAssignedIdentity':
    case 'serviceAccountToken':
      return { ...auth };
    case 'servicePrincipalSecret': {
      const { secret: _secret, ...rest } = auth;
      return rest;
    }
  }
}

/** The linker properties without secret values (also the connection part of a template). */
export function linkerPropertiesView(spec: LinkerSpecOf<unknown>): LinkerPropertiesView {
  const rules = spec.publicNetworkSolution.firewallRules;
  return {
    targetService: spec.targetService,
    authInfo: publicAuthInfo(spec.authInfo),
    clientType: spec.clientType,
    scope: spec.scope,
    publicNetworkSolution: {
      action: spec.publicNetworkSolution.action,
      deleteOrUpdateBehavior: spec.publicNetworkSolution.deleteOrUpdateBehavior,
      firewallRules: {
        ipRanges: rules.ipRanges,
        ...(rules.azureServices === undefined ? {} : { azureServices: String(rules.azureServices) }),
      },
    },
    configurationInfo: { ...spec.configurationInfo },
    ...(spec.secretStore === undefined ? {} : { secretStore: spec.secretStore }),
  };
}

export function linkerView(record: ConnectionRecord): LinkerView {
  const serviceAccount = kubernetesServiceAccountName(record.spec, record.name);
  return {
    id: linkerId(record.clusterId, record.name),
    name: record.name,
    type: linkerResourceType,
    etag: formatEtag(record.revision),
    systemData: { createdAt: record.createdAt, lastModifiedAt: record.lastModifiedAt },
    properties: {
      ...linkerPropertiesView(record.spec),
      provisioningState: record.provisioningState,
      kubernetesResourceName: kubernetesSecretName(record.name),
      ...(serviceAccount === undefined ? {} : { kubernetesServiceAccountName: serviceAccount }),
      status: record.status,
    },
  };
}
