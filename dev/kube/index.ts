/**
 * The Kubernetes API emulator: HTTPS API servers, one per emulated cluster, that the real
 * @kubernetes/client-node cannot tell from a real one (see docs/emulators/kubernetes.md).
 */
export { startKubeEmulator, type KubeEmulator, type KubeEmulatorOptions } from './emulator.js';
export {
  EmulatedCluster,
  type EmulatedClusterOptions,
  type RecordedRequest,
} from './cluster/emulated-cluster.js';
export type { FaultSpec } from './cluster/faults.js';
export { kubeconfigFor, type KubeconfigOptions } from './kubeconfig.js';
export { writeKubeconfigs } from './kubeconfig-files.js';
export { clusterIdFor } from './cluster-identity.js';
export type { Json, JsonObject } from './core/json.js';
