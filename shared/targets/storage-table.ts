/** Azure Table Storage (`.../storageAccounts/{a}/tableServices/default`). */
import { storageModule, storageRoles } from './storage-account.js';

export const storageTable = storageModule(
  'storage-table',
  'table',
  'Azure Table Storage',
  storageRoles.table,
);
