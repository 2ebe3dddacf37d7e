/**
 * Arc: the Key Vault CSI driver is a cluster extension there (`Microsoft.AzureKeyVaultSecretsProvider`),
 * installed under whatever name its owner chose. The extensions are listed and matched by
 * `extensionType` (cluster-features-plan.ts compares the types case-insensitively); the list is
 * read only for an Arc cluster with a Key Vault CSI connection, so nothing else pays for it.
 */
import type { AzurePorts } from '../../azure/ports.js';
import type { ClusterKind } from '../../model/source.js';
import { str } from '../../targets/arm-body.js';
import { observe } from './run.js';

/**
 * The types of the extensions installed on the cluster, or none when they are not needed (AKS, no
 * CSI connection) or could not be listed (a transient failure: the plan then reports the
 * extension as missing, and the next pass looks again).
 */
export async function arcExtensionTypes(
  azure: AzurePorts,
  clusterId: string,
  kind: ClusterKind,
  needsKeyVaultCsi: boolean,
): Promise<string[]> {
  if (kind !== 'connectedClusters' || !needsKeyVaultCsi) return [];
  const listed = await observe(() => azure.extensions.list(clusterId));
  if (!listed.ok) return [];
  return listed.value.flatMap((e) => {
    const type = str(e, 'properties', 'extensionType');
    return type === undefined ? [] : [type];
  });
}
