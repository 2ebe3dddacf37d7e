import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeEmulator } from './emulator.js';

/**
 * Writes one kubeconfig per emulated cluster (user credential, mode 0600) into `dir`, named by
 * cluster id, and returns the `.local/endpoints.json` `kubernetes` section: ARM id -> path.
 */
export async function writeKubeconfigs(
  emulator: KubeEmulator,
  dir: string,
  role: 'user' | 'admin' = 'user',
): Promise<Record<string, { kubeconfigPath: string }>> {
  await mkdir(dir, { recursive: true });
  const out: Record<string, { kubeconfigPath: string }> = {};
  for (const cluster of emulator.clusters()) {
    const path = join(dir, `${cluster.id}.kubeconfig`);
    await writeFile(path, cluster.kubeconfig(role), { mode: 0o600 });
    out[cluster.armResourceId] = { kubeconfigPath: path };
  }
  return out;
}
