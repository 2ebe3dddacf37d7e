/**
 * The demo's closing "now try" lines: the same surfaces by hand. They carry no key: the first line
 * reads it from endpoints.json into $KEY, so the transcript can be shared.
 */
import type { DemoReport } from './demo.js';
import { demoPostgresConnectionName } from './demo-act-connect.js';
import { demoHostPorts } from './demo-act-hostports.js';
import { demoTemplate } from './demo-act-template.js';
import { apiVersion } from './demo-api.js';
import { shownPath } from './emulated-services.js';
import type { Endpoints } from './endpoints.js';

function requirePath(path: string): string {
  const shown = shownPath(path);
  return shown.startsWith('/') ? shown : `./${shown}`;
}

export function nowTryLines(endpoints: Endpoints, endpointsPath: string, report: DemoReport): string[] {
  const { host, demo, kubernetes } = endpoints;
  if (host === undefined || demo === undefined) return [];
  const linkers = `${host.url}/api${demo.clusterId}/providers/Microsoft.ServiceLinker/linkers`;
  const key = '-H "x-functions-key: $KEY"';
  const demoKubeconfig = Object.entries(kubernetes ?? {}).find(
    ([id]) => id.toLowerCase() === demo.clusterId.toLowerCase(),
  )?.[1].kubeconfigPath;
  const lines = [
    '',
    'Now try (no key below: the first line reads it from the endpoints file)',
    `  KEY=$(node -p "require('${requirePath(endpointsPath)}').host.functionKey")`,
    `  curl -s "${linkers}?api-version=${apiVersion}" ${key}   # the demo cluster's connections`,
    `  curl -s "${host.url}/api/connectionTemplates?api-version=${apiVersion}" ${key}`,
  ];
  if (demoKubeconfig !== undefined) {
    const kubectl = `kubectl --kubeconfig ${shownPath(demoKubeconfig)}`;
    lines.push(`  ${kubectl} get secrets,serviceaccounts -n default`);
    lines.push(
      `  ${kubectl} get pods -l app=${demoHostPorts.deployment} -o wide   # host ports: kubectl describe pod`,
    );
  }
  if (report.template !== undefined) {
    lines.push(
      `  kubectl --kubeconfig ${shownPath(report.template.kubeconfigPath)} get secrets,serviceaccounts -n ${demoTemplate.namespace}`,
    );
  }
  lines.push(
    `  curl -s -X DELETE "${linkers}/${demoPostgresConnectionName}?api-version=${apiVersion}" ${key} -D -   # then GET it until 404`,
    `  curl -s "${host.url}/api/health"   # backends.arm: reachable, identity`,
    '',
  );
  return lines;
}
