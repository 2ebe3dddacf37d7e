/** Placeholder replaced below. */
import type { World } from '../../engine/world.js';

export async function reconcileKubernetesClusters(_world: World): Promise<void> {}
