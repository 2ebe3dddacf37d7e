/**
 * The ARM emulator: a stateful Azure Resource Manager on loopback HTTPS that the real
 * `@azure/arm-*` clients talk to through their `endpoint` option. See docs/emulators/arm.md.
 */
export { startArmEmulator } from './emulator.js';
export type { ArmEmulator, ArmEmulatorOptions } from './api.js';
export { defaultTenantId } from './api.js';
export type { ArmWorldSeed, SeedResult } from './seeds/seed.js';
export type { Principal, PrincipalSpec } from './auth/principals.js';
export type { RequestLogEntry, RequestFilter } from './platform/request-log.js';
export type { RequestFaultSpec, OperationFaultSpec, FaultHandle } from './platform/faults.js';
export type { DenyRule } from './platform/rbac.js';
export type { ThrottlingOptions } from './platform/throttling.js';
export type { EventDeliveryOptions, EventRecord } from './events/delivery.js';
export type { EventGridEvent, CloudEvent } from './events/event-builder.js';
export { decodeClaims } from './auth/jwt.js';
export { demoSeed, demoIds, demoSubscriptionId, demoResourceGroup, demoLocation } from './seeds/demo.js';
