/**
 * Dependencies of the automatic triggers (armEvents, validationSweep, reconcilePoison), built once
 * per process and lazily, each only from what its trigger needs: the Event Grid trigger never
 * builds an ARM client, the poison trigger never reads the event settings.
 */
import { azurePorts } from './azure-ports.js';
import { createArmClusterInventory } from '../azure/cluster-inventory.js';
import type { EventDeps } from '../events/handle-event.js';
import type { PoisonDeps } from '../events/poison.js';
import { type EventSettings, loadEventSettings } from '../events/settings.js';
import type { SweepDeps } from '../events/sweep.js';
import { createTableConnectorStore } from '../store/connector-store.js';
import { createStorageEventGate } from '../store/event-dedupe.js';
import { createStoragePoisonRegistry } from '../store/poison-registry.js';
import { createStorageDependencyIndex } from '../store/table-dependency-index.js';
import { createStorageWorkQueue } from '../store/work-queue.js';
import { currentSettings, lazy } from './lazy.js';
import type { Settings } from './settings.js';

const clock = () => new Date();

export const currentEventSettings: () => EventSettings = lazy(() => loadEventSettings(process.env));

export function createEventDependencies(settings: Settings, events: EventSettings): EventDeps {
  return {
    dependencies: createStorageDependencyIndex(settings.storage),
    gate: createStorageEventGate(settings.storage),
    queue: createStorageWorkQueue(settings.storage),
    windowMs: events.eventWindowMs,
    clock,
  };
}

export function createSweepDependencies(settings: Settings): SweepDeps {
  const store = createTableConnectorStore(settings.storage);
  return {
    connections: store.connections,
    templates: store.templates,
    inventory: createArmClusterInventory(azurePorts().internals.clients),
    queue: createStorageWorkQueue(settings.storage),
    gate: createStorageEventGate(settings.storage),
    subscriptionIds: settings.subscriptionIds,
    clock,
  };
}

export function createPoisonDependencies(settings: Settings): PoisonDeps {
  return {
    registry: createStoragePoisonRegistry(settings.storage),
    connections: createTableConnectorStore(settings.storage).connections,
    clock,
  };
}

export const eventDependencies: () => EventDeps = lazy(() =>
  createEventDependencies(currentSettings(), currentEventSettings()),
);
export const sweepDependencies: () => SweepDeps = lazy(() => createSweepDependencies(currentSettings()));
/** Also for the reconcile engine: `clearPoisonMark(poisonDependencies(), clusterId, logger)`. */
export const poisonDependencies: () => PoisonDeps = lazy(() => createPoisonDependencies(currentSettings()));
