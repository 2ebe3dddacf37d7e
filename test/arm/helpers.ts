/** Shared setup for the ARM emulator conformance tests. */
import { randomUUID } from 'node:crypto';
import { startArmEmulator, type ArmEmulator, type ArmEmulatorOptions } from '../../dev/arm/index.js';

export const subscriptionId = '00000000-0000-4000-8000-0000000000a1';
export const resourceGroup = 'rg-conformance';
export const location = 'eastus';
export const rgId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;

/** LRO polling interval for SDK pollers (Retry-After is 0 under the test time scale). */
export const poll = { updateIntervalInMs: 5 } as const;

/** An emulator on a free port, 1000x time, with one subscription and one resource group. */
export async function startTestEmulator(options: ArmEmulatorOptions = {}): Promise<ArmEmulator> {
  return await startArmEmulator({
    timeScale: 1000,
    seed: {
      subscriptions: [{ subscriptionId, displayName: 'conformance' }],
      resourceGroups: [{ subscriptionId, name: resourceGroup, location }],
    },
    ...options,
  });
}

/** Options every SDK client gets: the emulator endpoint and few, fast retries. */
export function clientOptions(emulator: ArmEmulator) {
  return {
    endpoint: emulator.endpoint,
    retryOptions: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 50 },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
