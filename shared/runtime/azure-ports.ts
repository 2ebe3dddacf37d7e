/**
 * The Azure ports of this process, built from the app settings: the ARM endpoint setting and the
 * app's identity through DefaultAzureCredential (managed identity in Azure; the ARM emulator's
 * managed identity endpoint locally). Tests and tools pass their own TokenCredential. The ports are
 * built once, on first use, and their SDK clients on first call (shared/azure/sdk-clients.ts).
 */
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { createAzurePorts, type AzurePortsWithInternals } from '../azure/create-azure-ports.js';
import type { ArmRetryOptions } from '../azure/retry-policy.js';
import { currentSettings, lazy } from './lazy.js';
import type { Settings } from './settings.js';

export interface AzurePortsFromSettingsOptions {
  /** Replaces DefaultAzureCredential (tests: the ARM emulator's credential). */
  readonly credential?: TokenCredential;
  readonly retry?: ArmRetryOptions;
}

export function createAzurePortsFromSettings(
  settings: Pick<Settings, 'armEndpoint'>,
  options: AzurePortsFromSettingsOptions = {},
): AzurePortsWithInternals {
  return createAzurePorts({
    endpoint: settings.armEndpoint,
    credential: options.credential ?? new DefaultAzureCredential(),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
}

/** The process's Azure ports (lazily, from the app settings). */
export const azurePorts: () => AzurePortsWithInternals = lazy(() =>
  createAzurePortsFromSettings(currentSettings()),
);
