/**
 * The federated identity credential that lets the connection's ServiceAccount sign in as the
 * user-assigned identity: issuer = the cluster's OIDC issuer URL, subject =
 * `system:serviceaccount:<namespace>:sc-account-<clientId>`, audience `api://AzureADTokenExchange`.
 * Entra matches on issuer + subject (case-sensitive) and allows one credential per pair, so an
 * existing credential with our pair under any name counts as present. At most 20 credentials fit
 * on one identity (Learn workload-identity-federation-considerations).
 */
import { createHash } from 'node:crypto';
import type { ArmChild } from '../../targets/arm-body.js';
import { list, str } from '../../targets/arm-body.js';
import { error, info, type Check } from '../check.js';
import { serviceAccountName } from '../kube/names.js';

export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
export const MAX_FEDERATED_CREDENTIALS = 20;

/** Azure's rule for credential names: `^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$`. */
export const federatedCredentialNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$/;

export function workloadSubject(namespace: string, clientId: string): string {
  const account = serviceAccountName(clientId);
  return `system:serviceaccount:${namespace}:${account.ok ? account.name : `sc-account-${clientId.toLowerCase()}`}`;
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `cf-<cluster>-<namespace>-<hash>`: readable, and the hash of issuer and subject makes it unique
 * per pair and stable across runs. Truncated to fit the 120-character limit, keeping the hash.
 */
export function federatedCredentialName(
  issuer: string,
  subject: string,
  clusterName: string,
  namespace: string,
): string {
  const hash = createHash('sha256').update(`${issuer}|${subject}`).digest('hex').slice(0, 16);
  const readable = `cf-${slug(clusterName)}-${slug(namespace)}`
    .slice(0, 120 - hash.length - 1)
    .replace(/-+$/, '');
  return `${readable}-${hash}`;
}

export interface FederatedCredentialInput {
  /** The cluster's OIDC issuer URL (undefined until the issuer is enabled). */
  readonly issuer: string | undefined;
  readonly clusterName: string;
  readonly namespace: string;
  readonly clientId: string;
  /** `GET {identity}/federatedIdentityCredentials` → `value`. */
  readonly existing: readonly ArmChild[];
}

export type FederatedCredentialPlan =
  | { readonly action: 'none'; readonly name: string; readonly checks: readonly Check[] }
  | {
      readonly action: 'create' | 'update';
      readonly name: string;
      readonly body: { readonly properties: { issuer: string; subject: string; audiences: string[] } };
      readonly checks: readonly Check[];
    }
  | { readonly action: 'blocked'; readonly checks: readonly Check[] };

export function planFederatedCredential(input: FederatedCredentialInput): FederatedCredentialPlan {
  if (input.issuer === undefined) {
    return {
      action: 'blocked',
      checks: [
        error(
          'OidcIssuerNotReady',
          "The cluster's OIDC issuer URL is not published yet; it is enabled with the cluster features.",
        ),
      ],
    };
  }
  const issuer = input.issuer;
  const subject = workloadSubject(input.namespace, input.clientId);
  const name = federatedCredentialName(issuer, subject, input.clusterName, input.namespace);
  const body = { properties: { issuer, subject, audiences: [TOKEN_EXCHANGE_AUDIENCE] } };
  const matching = input.existing.find(
    (c) => str(c, 'properties', 'issuer') === issuer && str(c, 'properties', 'subject') === subject,
  );
  if (matching !== undefined) {
    const audiences = list(matching, 'properties', 'audiences');
    if (audiences.includes(TOKEN_EXCHANGE_AUDIENCE)) {
      return {
        action: 'none',
        name: matching.name ?? name,
        checks: [
          info('FederatedCredentialPresent', `${matching.name ?? 'A credential'} already trusts ${subject}.`),
        ],
      };
    }
    if (matching.name?.toLowerCase() === name.toLowerCase())
      return { action: 'update', name, body, checks: [] };
    return {
      action: 'blocked',
      checks: [
        error(
          'FederatedCredentialAudienceMismatch',
          `${matching.name ?? 'A credential'} trusts ${subject} from this issuer without the ${TOKEN_EXCHANGE_AUDIENCE} audience, and Entra allows one credential per issuer and subject.`,
          `Add the ${TOKEN_EXCHANGE_AUDIENCE} audience to ${matching.name ?? 'it'}, or delete it.`,
        ),
      ],
    };
  }
  if (input.existing.some((c) => c.name?.toLowerCase() === name.toLowerCase()))
    return { action: 'update', name, body, checks: [] };
  if (input.existing.length >= MAX_FEDERATED_CREDENTIALS) {
    return {
      action: 'blocked',
      checks: [
        error(
          'FederatedCredentialLimitReached',
          `The identity already has ${input.existing.length} federated credentials, the most an identity can hold (${MAX_FEDERATED_CREDENTIALS}); each cluster and namespace using it takes one.`,
          'Use another user-assigned identity for this namespace, or delete unused credentials (az identity federated-credential list / delete).',
        ),
      ],
    };
  }
  return { action: 'create', name, body, checks: [] };
}
