/** Azure Queue Storage (`.../storageAccounts/{a}/queueServices/default`). */
import { storageModule, storageRoles } from './storage-account.js';

export const storageQueue = storageModule(
  'storage-queue',
  'queue',
  'Azure Queue Storage',
  storageRoles.queue,
);
