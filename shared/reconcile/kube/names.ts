/**
 * Kubernetes object names as Service Connector makes them (research §3, from the CLI's
 * `get_aks_resource_secret_name`): Secret `sc-<connection name without non-alphanumerics>-secret`,
 * ServiceAccount `sc-account-<clientId>`. Kubernetes wants lower case where Service Connector keeps
 * the user's case, so we lower-case (ADR 0054); a name that is still invalid is refused, never
 * mangled further, so two connections can never silently share one object.
 */
import { mqttServiceAccountName } from '../../model/linker-names.js';

export type NameResult =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly reason: string; readonly message: string };

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** DNS-1123 subdomain (Secrets, ServiceAccounts): at most 253 characters. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 253) return 'must be 1 to 253 characters long';
  return subdomain.test(name)
    ? undefined
    : "must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
}

/** DNS-1123 label (Namespaces): at most 63 characters. */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 63) return 'must be 1 to 63 characters long';
  return label.test(name)
    ? undefined
    : "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
}

function checked(kind: string, name: string, problem: string | undefined): NameResult {
  return problem === undefined
    ? { ok: true, name }
    : {
        ok: false,
        reason: 'InvalidKubernetesName',
        message: `The ${kind} name '${name}' is invalid: it ${problem}.`,
      };
}

export function secretName(connectionName: string): NameResult {
  const name = `sc-${connectionName.replace(/[^a-zA-Z0-9]/g, '')}-secret`.toLowerCase();
  return checked('Secret', name, dnsSubdomainProblem(name));
}

export function serviceAccountName(clientId: string): NameResult {
  const name = `sc-account-${clientId}`.toLowerCase();
  return checked('ServiceAccount', name, dnsSubdomainProblem(name));
}

export function mqttAccountName(connectionName: string): NameResult {
  const name = mqttServiceAccountName(connectionName);
  return checked('ServiceAccount', name, dnsSubdomainProblem(name));
}

/** ConfigMaps are DNS-1123 subdomains too. */
export function configMapName(name: string): NameResult {
  return checked('ConfigMap', name, dnsSubdomainProblem(name));
}

export function namespaceName(namespace: string): NameResult {
  return checked('Namespace', namespace, dnsLabelProblem(namespace));
}

/** Label values: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric. */
export function labelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}
