/** Every resource type the emulator serves. */
import type { ResourceTypeDef } from '../engine/types.js';
import { storageAccounts } from './storage/storage-accounts.js';

export const allResourceTypes: readonly ResourceTypeDef[] = [storageAccounts];
