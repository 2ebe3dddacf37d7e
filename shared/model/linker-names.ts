/**
 * Names: of connections (linkers), of namespaces, and of the Kubernetes objects a connection
 * creates, exactly as Service Connector makes them (research/service-connector.md §3).
 */
import type { LinkerSpecOf } from './linker-spec.js';
import { usesKeyVaultCsi } from './linker-spec.js';

/**
 * ServiceLinker's own check (the CLI's `validate_connection_name`) is `^[A-Za-z0-9._]+$`; we
 * also accept `-` (Azure/azure-cli#30268). At least one letter or digit, so that the Secret name
 * is meaningful and `.` / `..` (which URLs cannot carry as a path segment) are excluded.
 */
export const linkerNamePattern = /^(?=.*[A-Za-z0-9])[A-Za-z0-9._-]{1,128}$/;
export const linkerNameHint =
  '1-128 letters, digits, periods, underscores or hyphens, with at least one letter or digit';

/** Kubernetes namespace names are DNS-1123 labels. */
export const namespacePattern = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const namespaceHint =
  'a DNS-1123 label (1-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit)';

export const defaultNamespace = 'default';

/**
 * The Secret of a connection: `sc-<name without non-alphanumerics>-secret`, lower-cased because
 * Kubernetes names are (the CLI keeps the case; a mixed-case name would be rejected by the API
 * server).
 */
export function kubernetesSecretName(linkerName: string): string {
  return `sc-${compactName(linkerName)}-secret`;
}

function compactName(linkerName: string): string {
  return linkerName.replace(/[^a-zA-Z0-9]/g, '').toLowerCase();
}

/** The MQTT broker connection's own ServiceAccount (checked as DNS-1123 where it is built). */
export function mqttServiceAccountName(linkerName: string): string {
  return `sc-account-mqtt-${compactName(linkerName)}`;
}

/**
 * The ServiceAccount of a connection, when there is one: for workload identity
 * `sc-account-<clientId>` (shared by the identity's connections in a namespace); for the MQTT
 * broker's service account token auth `sc-account-mqtt-<name>`, the connection's own (ADR 0120).
 */
export function kubernetesServiceAccountName(
  spec: LinkerSpecOf<unknown>,
  linkerName: string,
): string | undefined {
  const auth = spec.authInfo;
  if (auth.authType === 'serviceAccountToken') return mqttServiceAccountName(linkerName);
  if (auth.authType !== 'userAssignedIdentity' || usesKeyVaultCsi(spec) || auth.clientId === undefined) {
    return undefined;
  }
  return `sc-account-${auth.clientId.toLowerCase()}`;
}
