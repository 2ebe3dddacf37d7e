/**
 * The Kubernetes side of the product: the port (ports.ts), its client-node adapter and the pure
 * comparison that keeps converged clusters write-free. Pure planners can import
 * `./owned-fields.js` directly and stay free of client-node.
 */
export type {
  KubeConnector,
  KubeListOptions,
  KubeObject,
  KubeObjectMeta,
  KubePort,
  KubeRef,
} from './ports.js';
export { createKubeConnector, type KubeConnectorOptions } from './connector.js';
export { ownedFieldsDiffer } from './owned-fields.js';
