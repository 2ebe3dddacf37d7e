/**
 * A world to load: subscriptions, resource groups and resources as JSON. Resources are created in
 * order through the same engine as client PUTs (same validation, same side effects: a cluster gets
 * its node resource group, scale sets and outbound IPs), with long-running operations completing
 * at once and no events (the seed is the world as it was before anyone watched).
 */
import type { PrincipalSpec } from '../auth/principals.js';
import type { JsonObject } from '../core/store.js';
import type { RegistrationState } from '../platform/subscriptions.js';

export interface ArmWorldSeed {
  readonly tenantId?: string;
  readonly subscriptions: readonly {
    readonly subscriptionId: string;
    readonly displayName?: string;
    /** Registration states that differ from the default (Registered). */
    readonly providers?: Readonly<Record<string, RegistrationState>>;
  }[];
  readonly resourceGroups?: readonly {
    readonly subscriptionId: string;
    readonly name: string;
    readonly location: string;
    readonly tags?: Readonly<Record<string, string>>;
  }[];
  /** Created in order; `apiVersion` defaults to the newest the type accepts. */
  readonly resources?: readonly {
    readonly id: string;
    readonly body: JsonObject;
    readonly apiVersion?: string;
  }[];
  /** Principals of the tenant that exist before the world starts (users, service principals). */
  readonly principals?: readonly PrincipalSpec[];
}

export interface SeedResult {
  /** Ids of the created resources (with the casing the emulator returns). */
  readonly ids: readonly string[];
}
