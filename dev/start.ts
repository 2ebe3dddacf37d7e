/**
 * `npm start` (after the build): the app on the local world (see dev/world/local-world.ts), on port
 * 7071 like Core Tools (`PORT` to change it, 0 for any free port). Prints what runs where and
 * ready-to-paste curl lines (the only place keys are printed), writes `.local/endpoints.json` for
 * scripts, and on Ctrl-C / SIGTERM stops everything, leaving no process behind.
 * `CONNECTOR_LOCAL_DIR` moves the `.local` folder (tests use a temporary one).
 * `CONNECTOR_LOCAL_TIME_SCALE` sets the ARM emulator's emulated seconds per real second (default
 * 10: a 60 s cluster update takes 6 s, slow enough to watch, fast enough to wait for).
 * On the emulated world it then runs the demo (dev/world/demo.ts; `--no-demo` or
 * `CONNECTOR_DEMO=off` to skip it), which Ctrl-C aborts like everything else.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostedFunction } from './functions-host/index.js';
import { demoConnectionCurl, demoConnectionRequest, demoIdentityClientId } from './world/demo-connection.js';
import { demoWanted, LogRoute, type RunningDemo, startDemo } from './world/demo-start.js';
import { shownPath } from './world/emulated-services.js';
import { endpointsPath, writeEndpoints } from './world/endpoints.js';
import { type LocalWorld, startLocalWorld } from './world/local-world.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const localDir = process.env['CONNECTOR_LOCAL_DIR'] ?? join(root, '.local');

function portFromEnv(): number {
  const text = process.env['PORT'] ?? '7071';
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a port number (0 for any free port), not '${text}'`);
  }
  return port;
}

function timeScaleFromEnv(): number {
  const text = process.env['CONNECTOR_LOCAL_TIME_SCALE'] ?? '10';
  const scale = Number(text);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`CONNECTOR_LOCAL_TIME_SCALE must be a positive number, not '${text}'`);
  }
  return scale;
}

function sampleEvent(clusterId: string): string {
  const subscription = /^\/subscriptions\/[^/]+/i.exec(clusterId)?.[0] ?? '/subscriptions/<subscription>';
  const event = {
    id: 'local-1',
    topic: subscription,
    subject: clusterId,
    eventType: 'Microsoft.Resources.ResourceWriteSuccess',
    eventTime: '2026-01-01T00:00:00Z',
    data: {
      operationName: 'Microsoft.ContainerService/managedClusters/write',
      resourceUri: clusterId,
      status: 'Succeeded',
    },
    dataVersion: '2',
    metadataVersion: '1',
  };
  return JSON.stringify([event]);
}

function functionLine(fn: HostedFunction): string {
  const name = fn.name.padEnd(28);
  const trigger = fn.trigger.toLowerCase();
  if (fn.url !== undefined)
    return `  ${name}${(fn.methods ?? ['any']).join(',').padEnd(16)}${fn.url}  (${fn.authLevel})`;
  if (trigger === 'timertrigger') return `  ${name}${'timer'.padEnd(16)}${fn.schedule ?? ''} (UTC)`;
  if (trigger === 'queuetrigger') return `  ${name}${'queue'.padEnd(16)}${fn.queueName ?? ''}`;
  if (trigger === 'eventgridtrigger')
    return `  ${name}${'Event Grid'.padEnd(16)}/runtime/webhooks/eventgrid?functionName=${fn.name}`;
  return `  ${name}${fn.trigger}`;
}

function curlLines(world: LocalWorld): string[] {
  const { host } = world;
  const functionKey = host.keys.functionKeys['default'] ?? '';
  const lines: string[] = [];
  for (const fn of host.functions.filter((f) => f.url !== undefined)) {
    const method = fn.methods?.[0] ?? 'GET';
    const keyed =
      fn.authLevel === 'anonymous'
        ? fn.url
        : `${fn.url}?code=${fn.authLevel === 'admin' ? host.keys.masterKey : functionKey}`;
    lines.push(`  curl -s${method === 'GET' ? '' : ` -X ${method}`} "${keyed}"`);
  }
  const clusterId =
    world.endpoints.demo?.clusterId ??
    '/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<cluster>';
  const eventGridKey = host.keys.systemKeys['eventgrid_extension'] ?? '';
  for (const fn of host.functions.filter((f) => f.trigger.toLowerCase() === 'eventgridtrigger')) {
    lines.push(
      `  curl -s -X POST "${host.url}/runtime/webhooks/eventgrid?functionName=${fn.name}&code=${eventGridKey}" ` +
        `-H 'aeg-event-type: Notification' -H 'content-type: application/json' -d '${sampleEvent(clusterId)}'`,
    );
  }
  lines.push(...emulatedWorldLines(world));
  for (const fn of host.functions.filter((f) => f.trigger.toLowerCase() === 'timertrigger')) {
    lines.push(
      `  curl -s -X POST "${host.url}/admin/functions/${fn.name}" -H "x-functions-key: ${host.keys.masterKey}" ` +
        `-H 'content-type: application/json' -d '{"input":""}'   # run ${fn.name} now`,
    );
  }
  return lines;
}

/** The demo cluster's Kubernetes objects, and a connection to create on it. */
function emulatedWorldLines(world: LocalWorld): string[] {
  const { endpoints, emulators } = world;
  const lines: string[] = [];
  const clusterId = endpoints.demo?.clusterId.toLowerCase();
  const kubeconfig = Object.entries(endpoints.kubernetes ?? {}).find(
    ([id]) => id.toLowerCase() === clusterId,
  )?.[1];
  if (kubeconfig !== undefined) {
    lines.push(
      `  kubectl --kubeconfig ${shownPath(kubeconfig.kubeconfigPath)} get secrets,serviceaccounts -A`,
    );
  }
  const clientId =
    emulators.arm && endpoints.demo
      ? demoIdentityClientId(emulators.arm, endpoints.demo.identityId)
      : undefined;
  const request = clientId === undefined ? undefined : demoConnectionRequest(endpoints, clientId);
  if (request !== undefined) {
    lines.push(
      `  ${demoConnectionCurl(request, world.host.keys.functionKeys['default'] ?? '')}   # connect the demo cluster to blob storage`,
    );
  }
  if (endpoints.arm?.caCertPath !== undefined && world.host.httpsUrl !== undefined) {
    lines.push(
      `  curl -s --cacert ${shownPath(endpoints.arm.caCertPath)} "${world.host.httpsUrl}/api/health"   # the HTTPS listener (admission webhooks)`,
    );
  }
  return lines;
}

function banner(world: LocalWorld): string {
  const where = world.services
    .filter((s) => s.lines.length > 0)
    .map((s) => `  ${s.name.padEnd(16)}${s.lines.join('\n' + ' '.repeat(18))}`);
  const mode = world.mode === 'azure' ? 'against Azure' : 'on the emulated world';
  return [
    '',
    `Connector Functions is running ${mode} (Node.js ${process.versions.node})`,
    ...where,
    '',
    'Functions',
    ...world.host.functions.map(functionLine),
    '',
    'Try it (these lines carry keys: do not share them)',
    ...curlLines(world),
    '',
    `Keys: ${shownPath(join(localDir, 'host-keys.json'))}   Endpoints for scripts: ${shownPath(endpointsPath(localDir))}`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const logs = new LogRoute();
  let world: LocalWorld;
  try {
    world = await startLocalWorld({
      root,
      localDir,
      port: portFromEnv(),
      env: process.env,
      log: logs.log,
      timeScale: timeScaleFromEnv(),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nnpm start failed: ${message}`);
    if (/already in use/.test(message))
      console.error('Another process uses that port: stop it, or run with PORT=<port> npm start.');
    process.exit(1);
  }
  await writeEndpoints(endpointsPath(localDir), world.endpoints);
  console.log(banner(world));

  let demo: RunningDemo | undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`${signal} again: exiting now (the host and emulators exit when this process is gone)`);
      process.exit(130);
    }
    stopping = true;
    demo?.abort();
    console.log(`\n${signal}: stopping...`);
    void world.stop().then(() => {
      console.log('Stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (demoWanted(process.argv.slice(2), process.env)) demo = startDemo(world, localDir, logs);
}

await main();
