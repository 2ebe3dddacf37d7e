import type { UserInfo } from '../admission/attributes.js';
import type { WriteOptions } from '../cluster/core.js';

/** The service-account identities kube-controller-manager's controllers write with. */
export function controllerUser(name: string): UserInfo {
  return {
    username: `system:serviceaccount:kube-system:${name}`,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  };
}

export function controllerWrite(name: string): WriteOptions {
  return {
    dryRun: false,
    user: controllerUser(name),
    userAgent: `kube-controller-manager/v1 (linux/amd64) kubernetes/${name}`,
  };
}

export const kubeletWrite: WriteOptions = {
  dryRun: false,
  user: { username: 'system:node:kubelet', groups: ['system:nodes', 'system:authenticated'] },
  userAgent: 'kubelet/v1 (linux/amd64) kubernetes',
};
