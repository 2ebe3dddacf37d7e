import { dump } from 'js-yaml';
import type { KubeClusterHandle } from '../world/contracts.js';
import { armNameParts } from './cluster-identity.js';

export interface KubeconfigOptions {
  /** The ARM id the cluster belongs to; names the context and user as AKS does. */
  readonly armResourceId: string;
  readonly role?: 'user' | 'admin';
}

/**
 * A kubeconfig as `az aks get-credentials` writes it: one cluster with the CA inline
 * (`certificate-authority-data`), one bearer-token user, one current context.
 */
export function kubeconfigFor(handle: KubeClusterHandle, options: KubeconfigOptions): string {
  const { resourceGroup, name } = armNameParts(options.armResourceId);
  const admin = options.role === 'admin';
  const user = `${admin ? 'clusterAdmin' : 'clusterUser'}_${resourceGroup}_${name}`;
  const contextName = admin ? `${name}-admin` : name;
  return dump(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: {
            'certificate-authority-data': Buffer.from(handle.caPem).toString('base64'),
            server: handle.server,
          },
        },
      ],
      contexts: [{ name: contextName, context: { cluster: name, user } }],
      'current-context': contextName,
      preferences: {},
      users: [{ name: user, user: { token: admin ? handle.adminToken : handle.userToken } }],
    },
    { lineWidth: -1 },
  );
}
