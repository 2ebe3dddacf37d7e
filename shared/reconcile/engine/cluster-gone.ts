/**
 * The cluster no longer exists (its read answered 404). Its connections stay, marked orphaned, so
 * people see what happened; deleted ones finish. Two of our traces must not outlive it, whatever
 * the connections' cleanup settings: the firewall rules we added for it (its addresses may be
 * handed to someone else, and an allow rule for them would be a hole) and the federated
 * credentials we created for it (they trust an issuer that is gone). Nothing else is touched.
 */
import type { ArmResource } from '../../targets/arm-body.js';
import { targetModule } from '../../targets/catalog.js';
import type { TargetRef } from '../../targets/kinds.js';
import { recordedTargets, recordsOf } from './firewall-records.js';
import { reconcileFirewall } from '../steps/firewall-step.js';
import { connectionFacts } from './connection-facts.js';
import type { TargetTruth } from './gather.js';
import type { ConnectionInventory, FirewallRecord } from './inventory.js';
import { othersOwnedReader } from './others-owned.js';
import { settleConnection, type Settled } from './outcome.js';
import { failed, observe, type Run, step, succeeded } from './run.js';
import type { StoredConnection } from '../../model/connection.js';
import type { StepReport } from './types.js';

export const clusterStepName = 'Cluster';
const removalSteps = ['Firewall', 'FederatedCredential'];

export async function orphanConnections(
  run: Run,
  clusterId: string,
  connections: readonly StoredConnection[],
): Promise<Settled[]> {
  const subscriptionId = /\/subscriptions\/([^/]+)/i.exec(clusterId)?.[1] ?? '';
  const facts = connections.map((c) => connectionFacts(c, subscriptionId));
  const othersOwned = othersOwnedReader(run.deps, clusterId);

  // Every target a record names, former targets included: the cluster's addresses go everywhere.
  const firewall = new Map<string, Removal>();
  await Promise.all(
    [...recordedTargets(facts)]
      .filter(([, entry]) => entry.ranges.length > 0)
      .map(async ([key, entry]) => {
        firewall.set(key, await removeOurRules(run, entry.ref, entry.ranges, othersOwned));
      }),
  );

  const credentials = new Map<string, { identityId: string; name: string }>();
  for (const c of facts) {
    const fic = c.inventory.federatedCredential;
    if (fic !== undefined) credentials.set(`${fic.identityId}|${fic.name}`.toLowerCase(), fic);
  }
  const credentialReport = new Map<string, StepReport>();
  await Promise.all(
    [...credentials].map(async ([key, fic]) => {
      credentialReport.set(
        key,
        await step(run, 'FederatedCredential', async () => {
          await run.deps.azure.identities.deleteFederatedCredential(fic.identityId, fic.name);
          return succeeded(
            'FederatedCredential',
            'FederatedCredentialRemoved',
            `${fic.name} was removed with the cluster.`,
          );
        }),
      );
    }),
  );

  return await Promise.all(
    facts.map(async (c) => {
      const reports: StepReport[] = [];
      let inventory: ConnectionInventory = c.inventory;
      if (c.record.lifecycle === 'active') reports.push(gone(clusterId));
      const removals = recordsOf(c).flatMap((r) => firewall.get(r.targetId.toLowerCase()) ?? []);
      if (removals.length > 0) {
        // One Firewall entry: the first removal that did not succeed, else the first.
        const shown = removals.find((r) => r.report.result !== 'Succeeded') ?? removals[0];
        if (shown !== undefined) reports.push(shown.report);
        inventory = afterRemoval(inventory, firewall);
      }
      const fic = c.inventory.federatedCredential;
      const ficReport =
        fic === undefined ? undefined : credentialReport.get(`${fic.identityId}|${fic.name}`.toLowerCase());
      if (ficReport !== undefined) {
        reports.push(ficReport);
        if (ficReport.result === 'Succeeded') {
          const { federatedCredential: _removed, ...rest } = inventory;
          inventory = rest;
        }
      }
      // Steps of an earlier pass (the rules and credentials already removed) stay as they were.
      const reported = new Set(reports.map((r) => r.name));
      const earlier = c.record.status.filter((s) => removalSteps.includes(s.name) && !reported.has(s.name));
      return await settleConnection(run, c.record, [...reports, ...earlier], inventory);
    }),
  );
}

/** The connection's firewall records once the removals are done: only what is left of ours. */
function afterRemoval(
  inventory: ConnectionInventory,
  firewall: ReadonlyMap<string, Removal>,
): ConnectionInventory {
  const left = (r: FirewallRecord): FirewallRecord[] => {
    const ranges = firewall.get(r.targetId.toLowerCase())?.record ?? r.ranges;
    return ranges.length === 0 ? [] : [{ targetId: r.targetId, ranges }];
  };
  const { firewall: current, retiredFirewall: retired, ...rest } = inventory;
  const onCurrent = current === undefined ? undefined : left(current)[0];
  const former = (retired ?? []).flatMap(left);
  return {
    ...rest,
    ...(onCurrent === undefined ? {} : { firewall: onCurrent }),
    ...(former.length === 0 ? {} : { retiredFirewall: former }),
  };
}

interface Removal {
  readonly report: StepReport;
  /** What stays recorded: nothing, unless a removal was held back or failed. */
  readonly record: readonly string[];
}

function gone(clusterId: string): StepReport {
  return failed(
    clusterStepName,
    'ClusterNotFound',
    `The cluster ${clusterId} no longer exists. The firewall rules and federated credentials the connector created for it were removed; this connection is kept for reference.`,
    'Delete the connection, or recreate the cluster with the same id to connect it again.',
  );
}

/** Reads the target and removes the ranges recorded for this cluster (but not those others record). */
async function removeOurRules(
  run: Run,
  ref: TargetRef,
  ours: readonly string[],
  othersOwned: (targetId: string) => Promise<readonly string[]>,
): Promise<Removal> {
  const { targets } = run.deps.azure;
  const form = targetModule(ref.kind).firewall;
  const extraPath =
    form.extraRead === 'networkRuleSet'
      ? '/networkRuleSets/default'
      : form.extraRead === 'firewallRules'
        ? '/firewallRules'
        : undefined;
  const [resource, extra] = await Promise.all([
    observe(() => targets.read(ref.resourceId)),
    extraPath === undefined
      ? Promise.resolve(undefined)
      : observe(() => targets.readPath(`${ref.resourceId}${extraPath}`)),
  ]);
  if (!resource.ok) return { report: run.failure('Firewall', resource.error), record: ours };
  const body: ArmResource | undefined = resource.value;
  if (body === undefined)
    return {
      report: succeeded('Firewall', 'TargetGone', 'The target no longer exists: no rule of ours remains.'),
      record: [],
    };
  const truth: TargetTruth = {
    ref,
    resource,
    firewallExtra: extra,
    keys: new Map(),
    roleAssignments: new Map(),
  };
  const outcome = await reconcileFirewall(run, {
    target: truth,
    targetBody: body,
    specs: [],
    removeOurs: true,
    egress: undefined,
    ours,
    clusterLocation: undefined,
    othersOwned: () => othersOwned(ref.resourceId),
  });
  if (outcome.report.result !== 'Succeeded' || outcome.record.length > 0) return outcome;
  return {
    report: succeeded(
      'Firewall',
      'FirewallRulesRemoved',
      `The firewall rules added for the cluster were removed from ${ref.resourceId}.`,
    ),
    record: [],
  };
}
