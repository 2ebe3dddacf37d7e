/**
 * Azure Files (`.../storageAccounts/{a}/fileServices/default`): account-key auth only from a
 * cluster (research §1.2), so there is no role to assign.
 */
import { storageModule } from './storage-account.js';

export const storageFile = storageModule('storage-file', 'file', 'Azure Files', undefined);
