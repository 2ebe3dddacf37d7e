/**
 * The connection's Kubernetes objects (ADR 0054): its namespace when missing, its Secret, and for
 * workload identity the ServiceAccount it shares with every connection using the same identity in
 * that namespace. Server-side apply with our one field manager, and only when a field we own
 * differs from the live object, so a converged cluster sees no write at all.
 */
import { TerminalError } from '../../errors/index.js';
import type { KubeObject } from '../../kube/ports.js';
import type { ConnectionFacts } from '../engine/connection-facts.js';
import { kubeKey, type KubeTruth } from '../engine/gather.js';
import type { Memo } from '../engine/memo.js';
import { failed, type Run, step, succeeded } from '../engine/run.js';
import type { StepReport } from '../engine/types.js';
import { namespaceObject, secretObject, serviceAccountObject, type Built } from '../kube/manifests.js';

export const secretStepName = 'KubernetesSecret';
export const serviceAccountStepName = 'KubernetesServiceAccount';

/** Applies shared by several connections (a namespace, a ServiceAccount) happen once per reconcile. */
export interface KubeApplies {
  readonly namespaces: Memo<'created' | 'present'>;
  readonly serviceAccounts: Memo<'applied' | 'unchanged'>;
}

export async function applyIfChanged(
  run: Run,
  kube: KubeTruth,
  desired: KubeObject,
  what: string,
): Promise<'applied' | 'unchanged'> {
  const live = kube.objects.get(
    kubeKey(desired.kind, desired.metadata.namespace ?? '', desired.metadata.name),
  );
  if (!run.deps.ownedFieldsDiffer(desired, live)) return 'unchanged';
  // A conflict with another field manager comes back as a terminal FieldManagerConflict.
  await kube.port.apply(desired);
  run.deps.logger.info('applied', { object: what });
  return 'applied';
}

export async function ensureNamespace(
  run: Run,
  kube: KubeTruth,
  applies: KubeApplies,
  namespace: string,
): Promise<void> {
  if (kube.namespaces.has(namespace)) return;
  const built = namespaceObject(namespace);
  if (!built.ok) throw new TerminalError(built.message, { reason: built.reason });
  const object = built.object;
  await applies.namespaces.get(namespace, async () => {
    await kube.port.apply(object);
    return 'created';
  });
}

function invalidName(name: string, built: Extract<Built, { ok: false }>): StepReport {
  return failed(name, built.reason, built.message, 'Choose a shorter connection name or namespace.');
}

export async function reconcileSecret(
  run: Run,
  input: {
    readonly facts: ConnectionFacts;
    readonly kube: KubeTruth;
    readonly applies: KubeApplies;
    readonly data: Readonly<Record<string, string>>;
  },
): Promise<StepReport> {
  const { facts, kube } = input;
  return await step(run, secretStepName, async () => {
    const built = secretObject({
      namespace: facts.namespace,
      connectionName: facts.name,
      connectionId: facts.linkerId,
      data: input.data,
    });
    if (!built.ok) return invalidName(secretStepName, built);
    await ensureNamespace(run, kube, input.applies, facts.namespace);
    const what = `Secret ${facts.namespace}/${built.object.metadata.name}`;
    await applyIfChanged(run, kube, built.object, what);
    return succeeded(
      secretStepName,
      'SecretUpToDate',
      `${what} holds ${Object.keys(input.data).length} key(s).`,
    );
  });
}

export async function reconcileServiceAccount(
  run: Run,
  input: {
    readonly facts: ConnectionFacts;
    readonly kube: KubeTruth;
    readonly applies: KubeApplies;
    readonly clientId: string;
  },
): Promise<StepReport> {
  const { facts, kube } = input;
  return await step(run, serviceAccountStepName, async () => {
    const built = serviceAccountObject({ namespace: facts.namespace, clientId: input.clientId });
    if (!built.ok) return invalidName(serviceAccountStepName, built);
    await ensureNamespace(run, kube, input.applies, facts.namespace);
    const what = `ServiceAccount ${facts.namespace}/${built.object.metadata.name}`;
    const done = await input.applies.serviceAccounts.get(
      `${facts.namespace}/${built.object.metadata.name}`,
      () => applyIfChanged(run, kube, built.object, what),
    );
    return succeeded(
      serviceAccountStepName,
      done === 'applied' ? 'ServiceAccountApplied' : 'ServiceAccountUpToDate',
      `${what} is annotated for workload identity with client id ${input.clientId}.`,
    );
  });
}
