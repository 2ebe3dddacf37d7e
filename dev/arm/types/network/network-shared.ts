/**
 * Conventions every Microsoft.Network resource shares: PUT answers 201/200 with
 * Azure-AsyncOperation and provisioningState Updating, PATCH (tags) is synchronous, DELETE answers
 * 202 with Location and Azure-AsyncOperation; bodies carry a weak ETag and a resourceGuid.
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { LroSpec } from '../../engine/types.js';
import type { World } from '../../engine/world.js';

export const networkApiVersions = [
  '2026-01-01',
  '2025-07-01',
  '2025-05-01',
  '2025-03-01',
  '2025-01-01',
  '2024-10-01',
  '2024-07-01',
  '2024-05-01',
  '2024-03-01',
  '2024-01-01',
  '2023-11-01',
  '2023-09-01',
  '2023-06-01',
  '2023-05-01',
  '2023-04-01',
  '2023-02-01',
  '2022-11-01',
  '2022-09-01',
  '2022-07-01',
  '2022-05-01',
  '2022-01-01',
];

export const networkPutLro: LroSpec = { headers: 'azure-async', seconds: 5, retryAfterSeconds: 10 };
export const networkDeleteLro: LroSpec = { headers: 'both', seconds: 5, retryAfterSeconds: 10 };
export const networkTransient = { create: 'Updating', update: 'Updating', delete: 'Deleting' } as const;

export function etag(): string {
  return `W/"${randomUUID()}"`;
}

/** Keeps a resource's resourceGuid across updates. */
export function resourceGuid(existing: StoredResource | undefined): string {
  return str(obj(existing?.body['properties'])['resourceGuid']) ?? randomUUID();
}

/** Envelope fields a network resource keeps from the request. */
export function networkEnvelope(input: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of ['location', 'tags', 'sku', 'zones']) if (input[k] !== undefined) out[k] = input[k];
  return out;
}

/** A reference Microsoft.Network cannot resolve: missing, or in another region than the referrer. */
export function referenceNotFound(id: string | undefined, what: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceReference',
    `Resource ${id ?? '(missing id)'} referenced by resource ${what} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
  );
}

/** Resolves `{ id }` references that must exist (Azure answers 400 InvalidResourceReference). */
export function requireReferences(world: World, refs: unknown, what: string): { id: string }[] {
  return arr(refs).map((ref) => {
    const id = str(obj(ref)['id']);
    const target = id === undefined ? undefined : world.store.get(id);
    if (target === undefined) throw referenceNotFound(id, what);
    return { id: target.id };
  });
}

/** Microsoft.Network's name rule (1-80 word characters, '.', '-', '_'; ends with a word character or '_'). */
export function validateNetworkName(name: string): ArmError | undefined {
  if (/^\w([\w.-]{0,78}[\w])?$/.test(name) || /^\w[\w.-]{0,78}_$/.test(name)) return undefined;
  return new ArmError(
    400,
    'InvalidResourceName',
    `Resource name ${name} is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.`,
  );
}
