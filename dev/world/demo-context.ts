/**
 * What every act of the demo works with: the narration, the three public surfaces (the connections
 * API, ARM through the SDK clients, Kubernetes through client-node) and the demo world's ids from
 * `.local/endpoints.json`.
 */
import type { Endpoints } from './endpoints.js';
import type { ConnectionsApi } from './demo-api.js';
import type { DemoAzure } from './demo-azure.js';
import type { DemoKube } from './demo-kube.js';
import type { Narrator } from './demo-print.js';

export type DemoIds = NonNullable<Endpoints['demo']>;

export interface DemoIdentity {
  readonly name: string;
  readonly clientId: string;
  readonly principalId: string;
}

export interface DemoContext {
  readonly say: Narrator;
  readonly api: ConnectionsApi;
  readonly azure: DemoAzure;
  readonly ids: DemoIds;
  readonly subscriptionId: string;
  /** The seeded demo cluster, through the admin kubeconfig npm start wrote. */
  readonly kube: DemoKube;
  /** Where kubeconfigs of clusters the demo creates are written (`.local/kube`). */
  readonly kubeDir: string;
  readonly signal: AbortSignal | undefined;
  /** The longest any single wait may take. */
  readonly timeoutMs: number;
  /** The demo user-assigned identity, read from ARM once. */
  identity(): Promise<DemoIdentity>;
}
