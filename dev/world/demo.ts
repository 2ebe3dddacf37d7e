/**
 * The demo `npm start` runs once the world is healthy (issue 6 and 8's "npm start shows it"): three
 * acts narrated on the console, each driving the product only through its public surfaces as a
 * user would (the connections API with the function key, ARM through the official SDK clients as a
 * signed-in person, Kubernetes through client-node with the admin kubeconfig), then a few lines to
 * try by hand. An act that fails is reported and the next one runs; an abort (Ctrl-C) ends the demo
 * quietly wherever it is. It never prints a key or a secret value.
 */
import type { TokenCredential } from '@azure/core-auth';
import { connectionsApi } from './demo-api.js';
import { connectAct, type ConnectOutcome } from './demo-act-connect.js';
import { hostPortsAct, type HostPortsOutcome } from './demo-act-hostports.js';
import { templateAct, type TemplateOutcome } from './demo-act-template.js';
import { demoAzure, lastSegment, parseId } from './demo-azure.js';
import type { DemoContext, DemoIdentity } from './demo-context.js';
import { kubeFromFile } from './demo-kube.js';
import { narrator } from './demo-print.js';
import { nowTryLines } from './demo-try.js';
import { isAbort } from './demo-wait.js';
import type { Endpoints } from './endpoints.js';

export type DemoActName = 'connect' | 'template' | 'hostports';
export const demoActs: readonly DemoActName[] = ['connect', 'template', 'hostports'];

export interface DemoOptions {
  /** What `.local/endpoints.json` holds: the host and its key, ARM, the demo ids, kubeconfigs. */
  readonly endpoints: Endpoints;
  /** Where endpoints.json is, for the "now try" lines (which read the key from it). */
  readonly endpointsPath: string;
  /** Who the demo is in ARM: a person signed in (in npm start, the ARM emulator's user). */
  readonly credential: TokenCredential;
  /** Where kubeconfigs of clusters the demo creates go (`.local/kube`). */
  readonly kubeDir: string;
  readonly print: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly acts?: readonly DemoActName[];
  /** The longest any single wait may take; default 5 minutes. */
  readonly timeoutMs?: number;
}

export interface ActReport {
  readonly act: DemoActName;
  readonly outcome: 'done' | 'failed';
  readonly seconds: number;
  readonly error?: string;
}

export interface DemoReport {
  readonly acts: readonly ActReport[];
  readonly aborted: boolean;
  readonly connect?: ConnectOutcome;
  readonly template?: TemplateOutcome;
  readonly hostPorts?: HostPortsOutcome;
}

/** The first line of an error, short: SDK messages name resources, never keys. */
function brief(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

function context(options: DemoOptions): DemoContext {
  const { host, arm, demo, kubernetes } = options.endpoints;
  if (host === undefined || arm === undefined || demo === undefined) {
    throw new Error('the demo needs the emulated world (host, ARM and demo ids in endpoints.json)');
  }
  const kubeconfigPath = Object.entries(kubernetes ?? {}).find(
    ([id]) => id.toLowerCase() === demo.clusterId.toLowerCase(),
  )?.[1].kubeconfigPath;
  if (kubeconfigPath === undefined) throw new Error(`no kubeconfig for ${demo.clusterId}`);
  const azure = demoAzure(arm.endpoint, arm.subscriptionId, options.credential);
  let identity: Promise<DemoIdentity> | undefined;
  return {
    say: narrator(options.print),
    api: connectionsApi(host.url, host.functionKey, options.signal),
    azure,
    ids: demo,
    subscriptionId: arm.subscriptionId,
    kube: kubeFromFile(kubeconfigPath),
    kubeDir: options.kubeDir,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? 300_000,
    identity() {
      identity ??= (async () => {
        const { resourceGroup, name } = parseId(demo.identityId);
        const found = await azure.msi.userAssignedIdentities.get(resourceGroup, name);
        if (found.clientId === undefined || found.principalId === undefined) {
          throw new Error(`ARM shows no client id for ${lastSegment(demo.identityId)}`);
        }
        return { name, clientId: found.clientId, principalId: found.principalId };
      })();
      return identity;
    },
  };
}

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const acts: ActReport[] = [];
  const report: { -readonly [K in keyof DemoReport]: DemoReport[K] } = { acts, aborted: false };
  const say = narrator(options.print);
  let ctx: DemoContext;
  try {
    ctx = context(options);
  } catch (error) {
    say.act(`Demo skipped: ${brief(error)}`);
    return report;
  }
  const run: Record<DemoActName, () => Promise<void>> = {
    connect: async () => void (report.connect = await connectAct(ctx)),
    template: async () => void (report.template = await templateAct(ctx)),
    hostports: async () => void (report.hostPorts = await hostPortsAct(ctx)),
  };
  for (const act of options.acts ?? demoActs) {
    const start = performance.now();
    try {
      await run[act]();
      acts.push({ act, outcome: 'done', seconds: (performance.now() - start) / 1000 });
      say.detail(`(act done in ${((performance.now() - start) / 1000).toFixed(1)} s)`);
    } catch (error) {
      if (isAbort(error, options.signal)) return { ...report, aborted: true };
      acts.push({ act, outcome: 'failed', seconds: (performance.now() - start) / 1000, error: brief(error) });
      say.heading(`This act did not finish: ${brief(error)}`);
    }
  }
  say.act(`Demo done: ${acts.map((a) => `${a.act} ${a.outcome} in ${a.seconds.toFixed(1)} s`).join(', ')}`);
  for (const line of nowTryLines(options.endpoints, options.endpointsPath, report)) options.print(line);
  return report;
}
