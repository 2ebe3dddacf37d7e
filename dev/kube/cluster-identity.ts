import { createHash } from 'node:crypto';

/**
 * Cluster identity derived from the ARM resource id that keys it: ids compare case-insensitively
 * (ARM's rule), the URL-safe cluster id is readable and deterministic, and kubeconfig names
 * follow what AKS hands out (`clusterUser_<rg>_<name>`).
 */
export function normalizeKey(armResourceId: string): string {
  return armResourceId.trim().replace(/\/+$/, '').toLowerCase();
}

export interface ArmNameParts {
  readonly resourceGroup: string;
  readonly name: string;
}

export function armNameParts(armResourceId: string): ArmNameParts {
  const segments = armResourceId.split('/').filter((s) => s !== '');
  const rgIndex = segments.findIndex((s) => s.toLowerCase() === 'resourcegroups');
  const resourceGroup = rgIndex >= 0 ? (segments[rgIndex + 1] ?? '') : '';
  const name = segments.at(-1) ?? armResourceId;
  return { resourceGroup, name };
}

export function clusterIdFor(armResourceId: string): string {
  const key = normalizeKey(armResourceId);
  const slug =
    armNameParts(key)
      .name.replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'cluster';
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 10);
  return `${slug}-${digest}`;
}
