/**
 * Webhook registrations (ADR 0041): per cluster, the SHA-256 of the secret in its webhook URL.
 * Row `registration` in the cluster's partition of the `hostports` table. The reconcile step that
 * installs the MutatingWebhookConfiguration calls `issue` and puts the returned path in the URL;
 * the plaintext token exists only in that URL.
 */
import { RestError, type TableClient } from '@azure/data-tables';
import { RetryableError } from '../errors/index.js';
import {
  clusterRef,
  hashWebhookToken,
  newWebhookToken,
  tokenMatches,
  webhookPath,
} from '../hostports/webhook-auth.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createTableClient } from './clients.js';
import { hostPortTableName, hostPortStoreFailure } from './hostport-allocations.js';

export interface WebhookRegistration {
  readonly clusterId: string;
  readonly clusterRef: string;
  readonly createdAt: number;
  readonly rotatedAt: number;
}

export interface IssuedWebhookToken {
  readonly registration: WebhookRegistration;
  /** The secret: goes into the webhook URL and nowhere else (never log it). */
  readonly token: string;
  /** `hostports/admission/<clusterRef>/<token>` (see webhookUrl). */
  readonly path: string;
}

export interface IssueOptions {
  /** How long the token being replaced keeps working, so in-flight calls survive the URL update (default 10 min). */
  readonly previousTokenGraceMs?: number;
  readonly now?: number;
}

export interface HostPortRegistrationStore {
  /** Creates the registration, or rotates its token; returns the new token. */
  issue(clusterId: string, options?: IssueOptions): Promise<IssuedWebhookToken>;
  /** The registration this clusterRef + token authenticate, or undefined. */
  verify(ref: string, token: string, now?: number): Promise<WebhookRegistration | undefined>;
  get(clusterId: string): Promise<WebhookRegistration | undefined>;
  remove(clusterId: string): Promise<boolean>;
}

type RegistrationEntity = {
  clusterId: string;
  tokenHash: string;
  previousTokenHash: string;
  previousValidUntil: string;
  createdAt: string;
  rotatedAt: string;
};

const rowKey = 'registration';

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

function toRegistration(ref: string, e: Partial<RegistrationEntity>): WebhookRegistration {
  return {
    clusterId: e.clusterId ?? '',
    clusterRef: ref,
    createdAt: Date.parse(e.createdAt ?? '') || 0,
    rotatedAt: Date.parse(e.rotatedAt ?? '') || 0,
  };
}

export function createTableRegistrationStore(client: TableClient): HostPortRegistrationStore {
  let tableReady: Promise<void> | undefined;
  const ensureTable = (): Promise<void> =>
    (tableReady ??= client.createTable().catch((error: unknown) => {
      tableReady = undefined;
      throw hostPortStoreFailure(error, 'creating the host-port table');
    }));

  async function read(ref: string): Promise<(Partial<RegistrationEntity> & { etag: string }) | undefined> {
    await ensureTable();
    try {
      return await client.getEntity<Partial<RegistrationEntity>>(ref, rowKey);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw hostPortStoreFailure(error, 'reading the webhook registration');
    }
  }

  return {
    async issue(clusterId, options = {}) {
      const ref = clusterRef(clusterId);
      const now = options.now ?? Date.now();
      const graceMs = options.previousTokenGraceMs ?? 600_000;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const existing = await read(ref);
        const token = newWebhookToken();
        const entity = {
          partitionKey: ref,
          rowKey,
          clusterId,
          tokenHash: hashWebhookToken(token),
          previousTokenHash: existing?.tokenHash ?? '',
          previousValidUntil: new Date(existing === undefined ? 0 : now + graceMs).toISOString(),
          createdAt: existing?.createdAt ?? new Date(now).toISOString(),
          rotatedAt: new Date(now).toISOString(),
        };
        try {
          if (existing === undefined) await client.createEntity(entity);
          else await client.updateEntity(entity, 'Replace', { etag: existing.etag });
          return { registration: toRegistration(ref, entity), token, path: webhookPath(ref, token) };
        } catch (error) {
          const status = statusOf(error);
          if (status !== 409 && status !== 412)
            throw hostPortStoreFailure(error, 'writing the webhook registration');
        }
      }
      throw new RetryableError(`the webhook registration of ${clusterId} kept changing while being rotated`, {
        reason: 'ConcurrentUpdate',
      });
    },

    async verify(ref, token, now = Date.now()) {
      const entity = await read(ref);
      if (entity === undefined) return undefined;
      // Both comparisons always run, so the answer's timing does not tell which one matched.
      const current = tokenMatches(entity.tokenHash, token);
      const previous = tokenMatches(entity.previousTokenHash, token);
      const previousValid = now < (Date.parse(entity.previousValidUntil ?? '') || 0);
      if (!current && !(previous && previousValid)) return undefined;
      const registration = toRegistration(ref, entity);
      return clusterRef(registration.clusterId) === ref ? registration : undefined;
    },

    async get(clusterId) {
      const ref = clusterRef(clusterId);
      const entity = await read(ref);
      return entity === undefined ? undefined : toRegistration(ref, entity);
    },

    async remove(clusterId) {
      await ensureTable();
      try {
        await client.deleteEntity(clusterRef(clusterId), rowKey);
        return true;
      } catch (error) {
        if (statusOf(error) === 404) return false;
        throw hostPortStoreFailure(error, 'deleting the webhook registration');
      }
    },
  };
}

export function createRegistrationStore(settings: StorageSettings): HostPortRegistrationStore {
  return createTableRegistrationStore(createTableClient(settings, hostPortTableName));
}
