/** The public surface of the ARM emulator (what tests, benchmarks and `npm start` use). */
import type { TokenCredential } from '@azure/core-auth';
import type { LocalCa } from '../tls/local-ca.js';
import type { KubeClusterProvider } from '../world/contracts.js';
import type { Principal, PrincipalSpec } from './auth/principals.js';
import type { JsonObject } from './core/store.js';
import type { EventDeliveryOptions, EventRecord } from './events/delivery.js';
import type { Faults } from './platform/faults.js';
import type { Rbac } from './platform/rbac.js';
import type { RequestLog } from './platform/request-log.js';
import type { RegistrationState } from './platform/subscriptions.js';
import type { Throttler, ThrottlingOptions } from './platform/throttling.js';
import type { ArmWorldSeed, SeedResult } from './seeds/seed.js';

export const defaultTenantId = '72f988bf-0000-4000-8000-000000000001';

export interface ArmEmulatorOptions {
  /** CA issuing the server certificate (one is created when absent). */
  readonly ca?: LocalCa;
  readonly port?: number;
  readonly host?: string;
  /** Emulated seconds per real second (1000 in tests: a 30 s AKS operation takes 30 ms). */
  readonly timeScale?: number;
  /** Fixed real duration of every long-running operation, overriding each type's emulated time. */
  readonly lroDurationMs?: number;
  /** ARM throttling (on by default with Azure's limits); `false` turns it off. */
  readonly throttling?: boolean | ThrottlingOptions;
  readonly kubernetes?: KubeClusterProvider;
  /** Event Grid delivery (validated with the handshake at start). */
  readonly events?: EventDeliveryOptions;
  readonly seed?: ArmWorldSeed;
  readonly tenantId?: string;
  /** Emulated seconds before a newly created identity is visible to role assignments (default 0). */
  readonly principalPropagationSeconds?: number;
  /** Add the CA to this process's trust store so in-process SDK clients connect (default true). */
  readonly trustCa?: boolean;
  /** Items per list page, beyond which lists answer a `nextLink` (default: one page; ADR 0016). */
  readonly listPageSize?: number;
}

export interface ArmEmulator {
  /** `https://127.0.0.1:<port>`: the SDK clients' `endpoint`. */
  readonly endpoint: string;
  /** PEM of the CA that issued the server certificate. */
  readonly caPem: string;
  readonly tenantId: string;
  /** A TokenCredential for a test principal (by display name or spec); default: `test-admin`. */
  credential(principal?: string | PrincipalSpec): TokenCredential;
  /** Gets or creates a principal of the emulated tenant. */
  principal(principal?: string | PrincipalSpec): Principal;
  /** App Service-style managed identity endpoint for the function app (IDENTITY_ENDPOINT / IDENTITY_HEADER). */
  readonly managedIdentity: {
    readonly endpoint: string;
    readonly header: string;
    readonly principalId: string;
    readonly clientId: string;
    readonly tokensIssued: () => number;
  };
  readonly requestLog: RequestLog;
  readonly faults: Faults;
  /** Deny rules producing 403 AuthorizationFailed. */
  readonly rbac: Rbac;
  readonly throttling: Throttler;
  readonly providers: {
    state(subscriptionId: string, namespace: string): RegistrationState;
    register(subscriptionId: string, namespace: string): RegistrationState;
    unregister(subscriptionId: string, namespace: string): RegistrationState;
    /** Sets a registration state at once. */
    set(subscriptionId: string, namespace: string, state: RegistrationState): void;
    /** State of namespaces a subscription never touched (default Registered). */
    setDefaultState(state: RegistrationState): void;
    /** Emulated seconds a registration takes (default 30). */
    setRegistrationSeconds(seconds: number): void;
  };
  readonly events: {
    log(): readonly EventRecord[];
    /** Waits for running operations and event deliveries to settle. */
    idle(): Promise<void>;
    clear(): void;
  };
  readonly operations: { idle(): Promise<void> };
  /** List paging: items per page (undefined: every list is one page). */
  readonly paging: { setPageSize(size: number | undefined): void };
  /** The stored body of a resource (a copy), as GET returns it. */
  resource(id: string): JsonObject | undefined;
  resources(type?: string): JsonObject[];
  setPrincipalPropagationSeconds(seconds: number): void;
  /** Plugs the Kubernetes backend in (existing clusters get their Kubernetes cluster now). */
  setKubernetesProvider(provider?: KubeClusterProvider): Promise<void>;
  /** Configures (validation handshake first) or clears the Event Grid delivery. */
  setEventDelivery(delivery?: EventDeliveryOptions): Promise<void>;
  loadSeed(seed: ArmWorldSeed): Promise<SeedResult>;
  /** Back to the state right after start (the start seed re-applied). */
  reset(): Promise<void>;
  close(): Promise<void>;
}
