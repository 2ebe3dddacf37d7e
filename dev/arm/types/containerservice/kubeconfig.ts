/**
 * `listClusterUserCredential` / `listClusterAdminCredential`: `{ kubeconfigs: [{ name, value }] }`
 * with `value` a base64 kubeconfig (clusterUser / clusterAdmin, as AKS names them) for the
 * cluster's Kubernetes API server.
 */
import { randomBytes } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { props, str } from '../../core/json.js';
import type { StoredResource } from '../../core/store.js';
import type { ActionContext, ActionResult } from '../../engine/types.js';
import { parseArmId } from '../../../../shared/util/arm-id.js';
import { ensureKube, kubeHandle } from './kube-link.js';

export function kubeconfigYaml(options: {
  cluster: string;
  user: string;
  server: string;
  caPem: string;
  token: string;
}): string {
  const ca = Buffer.from(options.caPem).toString('base64');
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${ca}`,
    `    server: ${options.server}`,
    `  name: ${options.cluster}`,
    'contexts:',
    '- context:',
    `    cluster: ${options.cluster}`,
    `    user: ${options.user}`,
    `  name: ${options.cluster}`,
    `current-context: ${options.cluster}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${options.user}`,
    '  user:',
    `    token: ${options.token}`,
    '',
  ].join('\n');
}

function fallbackToken(resource: StoredResource, role: 'user' | 'admin'): string {
  const k = `${role}Token`;
  resource.internal[k] ??= randomBytes(32).toString('hex');
  return resource.internal[k] as string;
}

export function credentialAction(role: 'user' | 'admin') {
  return async ({ resource, world }: ActionContext): Promise<ActionResult> => {
    const p = props(resource.body);
    if (role === 'admin' && p['disableLocalAccounts'] === true) {
      throw new ArmError(
        400,
        'BadRequest',
        'Getting static credential is not allowed because this cluster is set to disable local accounts.',
      );
    }
    const handle = kubeHandle(resource) ?? (await ensureKube(world, resource));
    const parsed = parseArmId(resource.id);
    const name = parsed.names[0] ?? '';
    const value = kubeconfigYaml({
      cluster: name,
      user: `cluster${role === 'user' ? 'User' : 'Admin'}_${parsed.resourceGroup ?? ''}_${name}`,
      server: handle?.server ?? `https://${str(p['fqdn']) ?? `${name}.hcp.azmk8s.io`}:443`,
      caPem: handle?.caPem ?? world.caPem,
      token:
        handle === undefined
          ? fallbackToken(resource, role)
          : role === 'user'
            ? handle.userToken
            : handle.adminToken,
    });
    return {
      body: {
        kubeconfigs: [
          {
            name: role === 'user' ? 'clusterUser' : 'clusterAdmin',
            value: Buffer.from(value).toString('base64'),
          },
        ],
      },
    };
  };
}
