/**
 * Why the `sc-extension` cluster extension failed, and what to do about it (research
 * service-connector.md §2, §8; SPEC §1 "Errors and their mitigations"). Classification goes by the
 * extension's error code first (`errorInfo.code`, `statuses[].code`). The extension manager reports
 * every Helm failure under one generic code (`ExtensionOperationFailed` / `InstallationFailed`) and
 * says which one in the text only, so for those codes, and only for them, the seed's documented
 * Helm and agent messages are recognised by their fixed phrases.
 */
import { list, str, type ArmResource } from '../../targets/arm-body.js';

export interface ExtensionDiagnosis {
  readonly reason: string;
  readonly message: string;
  readonly mitigation: string;
}

const reinstall =
  'then delete the failed extension (az k8s-extension delete -g <resource-group> -c <cluster> --cluster-type <managedClusters|connectedClusters> -n sc-extension); the connector installs it again.';

/** Codes that name their cause: the ARM platform's own. */
const byCode: Readonly<Record<string, Omit<ExtensionDiagnosis, 'message'>>> = {
  MissingSubscriptionRegistration: {
    reason: 'ProviderNotRegistered',
    mitigation: 'az provider register -n Microsoft.KubernetesConfiguration',
  },
  AuthorizationFailed: {
    reason: 'AuthorizationFailed',
    mitigation: `Grant the connector's identity Microsoft.KubernetesConfiguration/extensions/write on the cluster, ${reinstall}`,
  },
};

/** The generic codes under which the extension manager reports Helm and agent failures. */
const genericCodes = new Set(['extensionoperationfailed', 'installationfailed', 'helmoperationfailed']);

/** The seed's documented failures, recognised only under a generic code. */
const helmFailures: readonly {
  readonly phrase: RegExp;
  readonly diagnosis: Omit<ExtensionDiagnosis, 'message'>;
}[] = [
  {
    phrase: /unable to download the helm chart/i,
    diagnosis: {
      reason: 'ExtensionChartUnreachable',
      mitigation: `The cluster cannot reach the chart registry: allow egress (HTTPS 443) to scaksextension.azurecr.io and mcr.microsoft.com in the cluster's firewall or proxy, ${reinstall}`,
    },
  },
  {
    phrase: /unable to get a response from the agent in time/i,
    diagnosis: {
      reason: 'ExtensionAgentTimeout',
      mitigation: `The cluster's extension agent did not answer: check that the cluster is running and the extension-agent / extension-operator pods in kube-system are healthy, ${reinstall}`,
    },
  },
  {
    phrase: /criticaladdonsonly|untolerated taint/i,
    diagnosis: {
      reason: 'ExtensionPodsUnschedulable',
      mitigation: `Every node pool is tainted CriticalAddonsOnly, so the extension's pods cannot be scheduled: add a user node pool without that taint (az aks nodepool add --mode User), ${reinstall}`,
    },
  },
  {
    phrase: /timed out waiting for resource readiness/i,
    diagnosis: {
      reason: 'ExtensionNotReady',
      mitigation: `The extension's pods did not become ready: look at them (kubectl get pods -n sc-system; kubectl describe job/sc-job -n sc-system), fix what they report, ${reinstall}`,
    },
  },
  {
    phrase: /rendering failed|unable to render the helm chart/i,
    diagnosis: {
      reason: 'ExtensionChartRenderingFailed',
      mitigation: `The extension's chart could not be rendered on this cluster: ${reinstall} If it fails again, update the extension (az k8s-extension update --auto-upgrade true -n sc-extension ...).`,
    },
  },
  {
    phrase: /already exists in your cluster|rendered manifests contain a resource that already exists/i,
    diagnosis: {
      reason: 'ExtensionResourceExists',
      mitigation: `Objects from an earlier install remain: remove the old release (helm list -n sc-system; helm uninstall <release> -n sc-system), ${reinstall}`,
    },
  },
  {
    phrase:
      /operation is already in progress for helm|another operation \(install\/upgrade\/rollback\) is in progress/i,
    diagnosis: {
      reason: 'ExtensionHelmBusy',
      mitigation: `A Helm operation on the release was still running: wait a few minutes, ${reinstall}`,
    },
  },
];

const fallback: Omit<ExtensionDiagnosis, 'message'> = {
  reason: 'ExtensionFailed',
  mitigation: `See the extension's statuses (az k8s-extension show -n sc-extension ... --query statuses) and the sc-system namespace (kubectl get pods,jobs -n sc-system), ${reinstall}`,
};

interface Problem {
  readonly code: string | undefined;
  readonly message: string | undefined;
}

/** The problems an extension body reports: errorInfo, then error-level statuses. */
function problems(extension: ArmResource): Problem[] {
  const props = extension.properties;
  const out: Problem[] = [];
  const errorInfo = { code: str(props, 'errorInfo', 'code'), message: str(props, 'errorInfo', 'message') };
  if (errorInfo.code !== undefined || errorInfo.message !== undefined) out.push(errorInfo);
  for (const s of list(props, 'statuses')) {
    const level = str(s, 'level');
    if (level !== undefined && level.toLowerCase() !== 'error') continue;
    out.push({ code: str(s, 'code'), message: str(s, 'message') ?? str(s, 'displayStatus') });
  }
  return out;
}

export function diagnoseExtension(extension: ArmResource): ExtensionDiagnosis {
  const found = problems(extension);
  const text = found
    .map((p) => p.message)
    .filter((m) => m !== undefined)
    .join(' | ');
  const message = `The sc-extension cluster extension failed${text === '' ? '.' : `: ${text}`}`;
  for (const p of found) {
    const known = p.code === undefined ? undefined : byCode[p.code];
    if (known !== undefined) return { ...known, message };
  }
  const generic = found.filter((p) => p.code === undefined || genericCodes.has(p.code.toLowerCase()));
  for (const rule of helmFailures) {
    if (generic.some((p) => rule.phrase.test(p.message ?? ''))) return { ...rule.diagnosis, message };
  }
  return { ...fallback, message };
}
