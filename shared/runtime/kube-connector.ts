/**
 * The process's KubeConnector, built on first use: its per-cluster client cache lives as long as
 * the worker, so a timer sweep and the queue reconciles that follow share discovery and connections.
 */
import { createKubeConnector } from '../kube/connector.js';
import type { KubeConnector } from '../kube/ports.js';
import { lazy } from './lazy.js';

export const kubeConnector: () => KubeConnector = lazy(() => createKubeConnector());
