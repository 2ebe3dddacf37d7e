/**
 * validateLinker (ServiceLinker's ValidateOperationResult): the reconcile's gather and pure plans,
 * with no write. Service Connector checks that the target exists, that its firewall admits the
 * cluster and that the identity holds its roles; we also check what it leaves out for AKS (the
 * extension, the cluster features, the federated credential, the Secret and the ServiceAccount),
 * each with its own result, error code, message and our mitigation. A check whose reads failed
 * transiently is a warning (it could not be made), never a failure of the call.
 */
import { isInClusterTarget } from '../../targets/kinds.js';
import { brokerChecks } from './validate-broker.js';
import { hasNoAzureIdentity } from '../../model/linker-spec.js';
import { isTerminal } from '../../errors/index.js';
import type { StoredConnection } from '../../model/connection.js';
import { str } from '../../targets/arm-body.js';
import { targetModule } from '../../targets/catalog.js';
import { planClusterFeatures, oidcIssuerUrl } from '../cluster-features-plan.js';
import { desiredFirewall } from '../firewall/desired.js';
import { planFirewall } from '../firewall/firewall-plan.js';
import { planFederatedCredential } from '../identity/federated-credential-plan.js';
import { planRoleAssignments } from '../identity/role-assignment-plan.js';
import { secretObject, serviceAccountObject, type Built } from '../kube/manifests.js';
import { arcPrivateLinkOf, privateLinkReasons } from '../private-link.js';
import { diagnoseExtension } from '../steps/extension-diagnosis.js';
import { firewallObservation, solutionOf } from '../steps/firewall-step.js';
import type { ArmChild, ArmResource } from '../../targets/arm-body.js';
import type { ReadyTarget } from '../steps/connection-steps.js';
import { identityKey, type ConnectionFacts } from './connection-facts.js';
import { kubeKey, principalOf, type Gathered, type KubeTruth } from './gather.js';
import { readConnection, type ReadConnection } from './read-connection.js';
import type { Observed } from './run.js';
import type { ReconcileDeps } from './types.js';
import { privateLinkChecks } from './validate-private-link.js';
import { fromCheck, item, unreadable, type ValidationItem } from './validation-item.js';

export type { ValidationItem, ValidationResult } from './validation-item.js';

export interface ValidateReport {
  readonly isConnectionAvailable: boolean;
  readonly authType: string;
  readonly targetId: string;
  readonly validationDetail: readonly ValidationItem[];
}

export async function validateConnection(
  deps: ReconcileDeps,
  record: StoredConnection,
): Promise<ValidateReport> {
  const read = await readConnection(deps, record, {
    extension: true,
    egress: true,
    kube: true,
    privateLinkScope: true,
  });
  const details =
    'clusterGone' in read
      ? [
          item('ClusterExistence', 'The cluster exists.', 'failure', {
            code: 'ClusterNotFound',
            message: `The cluster ${record.clusterId} does not exist.`,
          }),
        ]
      : checks(deps, read);
  return {
    isConnectionAvailable: !details.some((d) => d.result === 'failure'),
    authType: record.spec.authInfo.authType,
    targetId: record.spec.targetService.id,
    validationDetail: details,
  };
}

function checks(deps: ReconcileDeps, read: ReadConnection): ValidationItem[] {
  const { facts, gathered } = read;
  const out: ValidationItem[] = [];
  const target = read.target;
  const existence = 'The target exists.';
  if ('report' in target) {
    const r = target.report;
    out.push(
      item('TargetExistence', existence, r.result === 'Failed' ? 'failure' : 'warning', {
        code: r.reasonCode ?? 'TargetUnavailable',
        message: r.message ?? '',
        mitigation: r.mitigation,
      }),
    );
  } else out.push(item('TargetExistence', existence, 'success'));
  out.push(extension(gathered));
  out.push(...features(read));
  const privateLink = arcPrivateLinkOf(read.cluster);
  if (privateLink !== undefined)
    out.push(
      ...privateLinkChecks({
        clusterId: facts.record.clusterId,
        cluster: read.cluster,
        link: privateLink,
        scope: gathered.privateLinkScope,
        endpoints: gathered.privateEndpoints ?? [],
      }),
    );
  if ('report' in target) return out;
  out.push(firewall(read, target));
  const identity =
    facts.workloadIdentity === undefined
      ? undefined
      : gathered.identities.get(identityKey(facts.workloadIdentity));
  if (facts.workloadIdentity !== undefined)
    out.push(credential(read, identity?.identity, identity?.credentials));
  const roles = roleCheck(read, target, identity?.identity);
  if (roles !== undefined) out.push(roles);
  out.push(...kubeChecks(deps, read));
  if (isInClusterTarget(target.truth.ref.kind)) out.push(...brokerChecks(deps, read, target));
  return out;
}

function extension(gathered: Gathered): ValidationItem {
  const name = 'Extension';
  const description = 'The sc-extension cluster extension is installed.';
  const observed = gathered.extension;
  if (observed === undefined || !observed.ok) return unreadable(name, description, observed);
  const body = observed.value;
  if (body === undefined)
    return item(name, description, 'failure', {
      code: 'ExtensionMissing',
      message: 'sc-extension is not installed on the cluster.',
      mitigation:
        'The connector installs it on its next pass; if it stays missing, see the connection status.',
    });
  const state = str(body, 'properties', 'provisioningState') ?? 'Succeeded';
  if (state.toLowerCase() === 'succeeded') return item(name, description, 'success');
  if (state.toLowerCase() !== 'failed')
    return item(name, description, 'warning', {
      code: 'ExtensionInstalling',
      message: `sc-extension is ${state}.`,
    });
  const d = diagnoseExtension(body);
  return item(name, description, 'failure', { code: d.reason, message: d.message, mitigation: d.mitigation });
}

function features(read: ReadConnection): ValidationItem[] {
  const { facts } = read;
  if (facts.workloadIdentity === undefined && !facts.keyVaultCsi) return [];
  const plan = planClusterFeatures(
    read.cluster,
    { workloadIdentity: facts.workloadIdentity !== undefined, keyVaultCsi: facts.keyVaultCsi },
    read.extensionTypes,
  );
  const name = facts.keyVaultCsi ? 'KeyVaultSecretsProvider' : 'WorkloadIdentity';
  const description = facts.keyVaultCsi
    ? "The cluster's Key Vault secrets provider add-on is enabled."
    : "The cluster's OIDC issuer and workload identity are enabled.";
  if (plan.action === 'none') return [item(name, description, 'success')];
  return [fromCheck(name, description, plan.checks[0], 'failure')];
}

function firewall(read: ReadConnection, target: ReadyTarget): ValidationItem {
  const name = 'TargetNetworkAccess';
  const description = "The target's firewall admits the cluster's egress addresses.";
  const spec = read.facts.record.spec;
  if (spec.publicNetworkSolution.action === 'optOut') return item(name, description, 'success');
  const egress = read.gathered.egress;
  if (egress === undefined || !egress.ok) return unreadable(name, description, egress);
  const observed = firewallObservation(target.truth, target.body);
  if (!observed.ok) return unreadable(name, description, observed);
  const plan = planFirewall({
    form: targetModule(target.truth.ref.kind).firewall,
    observed: observed.value,
    desired: desiredFirewall(egress.value.plan, [solutionOf(spec)]),
    ours: read.facts.inventory.firewall?.ranges ?? [],
    othersOwned: [],
  });
  const error = plan.checks.find((c) => c.severity === 'error');
  if (error !== undefined) return fromCheck(name, description, error, 'failure');
  const privateLink = plan.checks.find((c) => c.reason === privateLinkReasons.cluster);
  if (privateLink !== undefined) return fromCheck(name, description, privateLink, 'warning');
  const disabled = plan.checks.find(
    (c) => c.reason === 'PublicNetworkAccessDisabled' || c.reason === 'SecuredByPerimeter',
  );
  if (disabled !== undefined) return fromCheck(name, description, disabled, 'warning');
  if (plan.added.length > 0)
    return item(name, description, 'failure', {
      code: 'FirewallDoesNotAdmitCluster',
      message: `The firewall does not admit ${plan.added.join(', ')}.`,
      mitigation:
        'The connector adds these rules on its next pass; if they stay missing, see the connection status.',
    });
  return item(name, description, 'success');
}

function credential(
  read: ReadConnection,
  identity: Observed<ArmResource | undefined> | undefined,
  credentials: Observed<ArmChild[]> | undefined,
): ValidationItem {
  const name = 'FederatedCredential';
  const description = "The identity trusts the connection's ServiceAccount through a federated credential.";
  if (identity === undefined || !identity.ok) return unreadable(name, description, identity);
  if (identity.value === undefined)
    return item(name, description, 'failure', {
      code: 'IdentityNotFound',
      message: 'The user-assigned identity does not exist.',
    });
  if (credentials === undefined || !credentials.ok) return unreadable(name, description, credentials);
  const plan = planFederatedCredential({
    issuer: oidcIssuerUrl(read.cluster),
    clusterName: read.clusterName,
    namespace: read.facts.namespace,
    clientId: read.facts.workloadIdentity?.clientId ?? '',
    existing: credentials.value,
  });
  if (plan.action === 'none') return item(name, description, 'success');
  if (plan.action === 'blocked') return fromCheck(name, description, plan.checks[0], 'failure');
  return item(name, description, 'failure', {
    code: 'FederatedCredentialMissing',
    message: `No federated credential trusts the ServiceAccount yet (${plan.name}).`,
    mitigation: 'The connector creates it on its next pass.',
  });
}

function roleCheck(
  read: ReadConnection,
  target: ReadyTarget,
  identity: Observed<ArmResource | undefined> | undefined,
): ValidationItem | undefined {
  const auth = read.facts.record.spec.authInfo;
  if (hasNoAzureIdentity(auth) || auth.authMode === 'optOutAllAuth') return undefined;
  const name = 'TargetRoleAssignment';
  const description = 'The identity holds its roles on the target.';
  const principal = principalOf(read.facts, read.cluster, identity?.ok === true ? identity.value : undefined);
  if (principal === undefined)
    return item(name, description, 'failure', {
      code: 'IdentityNotFound',
      message: 'The identity is not known yet.',
    });
  const existing = target.truth.roleAssignments.get(principal.toLowerCase());
  if (existing === undefined || !existing.ok) return unreadable(name, description, existing);
  const plan = planRoleAssignments({
    scope: target.truth.ref.resourceId,
    principalId: principal,
    authorization: targetModule(target.truth.ref.kind).identityAuthorization(target.body),
    override: auth.roles,
    existing: existing.value,
  });
  if (plan.create.length === 0) {
    const warning = plan.checks.find((c) => c.severity !== 'info');
    return warning === undefined
      ? item(name, description, 'success')
      : fromCheck(name, description, warning, 'warning');
  }
  return item(name, description, 'failure', {
    code: 'RoleAssignmentMissing',
    message: `The identity lacks ${plan.create.length} role assignment(s) on the target.`,
    mitigation:
      'The connector creates them on its next pass; if they stay missing, see the connection status.',
  });
}

function kubeChecks(deps: ReconcileDeps, read: ReadConnection): ValidationItem[] {
  const kube = read.gathered.kube;
  const facts: ConnectionFacts = read.facts;
  const wi = facts.workloadIdentity;
  const secretName = 'KubernetesSecret';
  const secretDescription = "The connection's Secret holds its configuration.";
  const accountName = 'KubernetesServiceAccount';
  const accountDescription = 'The ServiceAccount is annotated for workload identity.';
  if (kube === undefined || !kube.ok) {
    const out = [notRead(secretName, secretDescription, kube)];
    if (wi !== undefined) out.push(notRead(accountName, accountDescription, kube));
    return out;
  }
  const out: ValidationItem[] = [];
  const config = read.configuration;
  if (config?.plan !== undefined) {
    const built = secretObject({
      namespace: facts.namespace,
      connectionName: facts.name,
      connectionId: facts.linkerId,
      data: config.plan.data,
    });
    out.push(
      liveObjectItem(deps, kube.value, built, facts.namespace, {
        name: secretName,
        description: secretDescription,
        kind: 'Secret',
        drifted: "The Secret differs from the connection's configuration.",
      }),
    );
  } else if (config !== undefined && config.report.result !== 'Skipped') {
    out.push(
      item(secretName, secretDescription, 'failure', {
        code: config.report.reasonCode ?? 'ConfigurationFailed',
        message: config.report.message ?? '',
        mitigation: config.report.mitigation,
      }),
    );
  }
  if (wi !== undefined) {
    const built = serviceAccountObject({ namespace: facts.namespace, clientId: wi.clientId });
    out.push(
      liveObjectItem(deps, kube.value, built, facts.namespace, {
        name: accountName,
        description: accountDescription,
        kind: 'ServiceAccount',
        drifted: 'The ServiceAccount lacks its workload identity annotation.',
      }),
    );
  }
  return out;
}

/**
 * The Kubernetes objects could not be read. A cluster the connector can never reach (private link)
 * fails the check; any other failure only means it could not be made.
 */
function notRead(name: string, description: string, kube: Observed<unknown> | undefined): ValidationItem {
  const error = kube?.ok === false ? kube.error : undefined;
  if (isTerminal(error) && error.reason === privateLinkReasons.clusterConnect)
    return item(name, description, 'failure', {
      code: error.reason,
      message: error.message,
      mitigation: error.mitigation,
    });
  return unreadable(name, description, kube);
}

/** Whether the object we would write is in the cluster with our fields: `<Kind>Missing` / `<Kind>Drifted`. */
function liveObjectItem(
  deps: ReconcileDeps,
  kube: KubeTruth,
  built: Built,
  namespace: string,
  check: {
    readonly name: string;
    readonly description: string;
    readonly kind: 'Secret' | 'ServiceAccount';
    readonly drifted: string;
  },
): ValidationItem {
  const live = built.ok
    ? kube.objects.get(kubeKey(check.kind, namespace, built.object.metadata.name))
    : undefined;
  if (built.ok && !deps.ownedFieldsDiffer(built.object, live))
    return item(check.name, check.description, 'success');
  return item(check.name, check.description, 'failure', {
    code: `${check.kind}${live === undefined ? 'Missing' : 'Drifted'}`,
    message: live === undefined ? `The ${check.kind} does not exist.` : check.drifted,
    mitigation: 'The connector writes it on its next pass.',
  });
}
