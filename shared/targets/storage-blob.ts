/** Azure Blob Storage (`.../storageAccounts/{a}/blobServices/default`). */
import { storageModule, storageRoles } from './storage-account.js';

export const storageBlob = storageModule('storage-blob', 'blob', 'Azure Blob Storage', storageRoles.blob);
