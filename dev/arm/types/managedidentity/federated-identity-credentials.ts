/**
 * Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials (synchronous).
 * Limits from Learn "Important considerations and restrictions for federated identity credentials":
 * at most 20 per identity; issuer + subject unique per identity; one audience; issuer an https URL.
 * Name pattern from the TypeSpec (`^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$`). The exact error codes
 * Azure returns for these were not found in public sources: 400 BadRequest with a precise message.
 */
import { ArmError, badRequest } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import { msiApiVersions } from './user-assigned-identities.js';

export const ficLimitPerIdentity = 20;
export const ficType = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials';

function build(ctx: BuildContext) {
  const { input, world, parent, id, name, existing } = ctx;
  const p = obj(input['properties']);
  const issuer = str(p['issuer']);
  const subject = str(p['subject']);
  const audiences = arr(p['audiences']);
  let issuerUrl: URL | undefined;
  try {
    issuerUrl = issuer === undefined ? undefined : new URL(issuer);
  } catch {
    issuerUrl = undefined;
  }
  if (issuerUrl === undefined || issuerUrl.protocol !== 'https:') {
    throw badRequest(
      `The issuer '${issuer ?? ''}' is invalid: it must be an absolute URL with the https scheme.`,
      'BadRequest',
      'properties.issuer',
    );
  }
  if (subject === undefined || subject.trim() === '' || subject.length > 600) {
    throw badRequest(
      'The subject is required and can be at most 600 characters long.',
      'BadRequest',
      'properties.subject',
    );
  }
  if (
    audiences.length !== 1 ||
    typeof audiences[0] !== 'string' ||
    audiences[0] === '' ||
    audiences[0].length > 600
  ) {
    throw badRequest(
      'Exactly one audience (at most 600 characters) is required.',
      'BadRequest',
      'properties.audiences',
    );
  }
  const siblings = world.children(parent?.id ?? '', ficType).filter((f) => !world.sameId(f.id, id));
  const duplicate = siblings.find((f) => {
    const q = obj(f.body['properties']);
    return q['issuer'] === issuer && q['subject'] === subject;
  });
  if (duplicate !== undefined) {
    throw badRequest(
      `A federated identity credential with issuer '${issuer ?? ''}' and subject '${subject}' already exists on this identity ('${str(duplicate.body['name']) ?? ''}'). The combination of issuer and subject must be unique.`,
      'BadRequest',
    );
  }
  if (existing === undefined && siblings.length >= ficLimitPerIdentity) {
    throw new ArmError(
      400,
      'BadRequest',
      `The user-assigned identity '${str(parent?.body['name']) ?? ''}' already has ${siblings.length} federated identity credentials; a maximum of ${ficLimitPerIdentity} federated identity credentials can be added to an application or user-assigned managed identity. Cannot create '${name}'.`,
    );
  }
  return { body: { properties: { issuer, subject, audiences } } };
}

export const federatedIdentityCredentials: ResourceTypeDef = {
  type: ficType,
  apiVersions: msiApiVersions,
  provisioningState: 'none',
  validateName: (name) =>
    /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/.test(name)
      ? undefined
      : badRequest(
          `The federated identity credential name '${name}' is invalid. It must be 3 to 120 characters long, start with a letter or number, and contain only letters, numbers, hyphens and underscores.`,
          'BadRequest',
        ),
  put: { build },
  delete: { status: 200 },
  filterList: (items, { query }) => {
    const top = Number(query.get('$top') ?? Number.NaN);
    return Number.isFinite(top) && top > 0 ? items.slice(0, top) : items;
  },
};
