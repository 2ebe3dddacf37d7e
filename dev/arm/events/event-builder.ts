/**
 * ARM events as an Event Grid subscription system topic delivers them (research
 * functions-eventgrid.md §2.2-2.4): `Microsoft.Resources.Resource{Write,Delete,Action}Success`
 * with `data` carrying authorization, claims, correlationId, httpRequest (only for updates and
 * deletes, as the docs note), resourceProvider, resourceUri, operationName, status, subscriptionId
 * and tenantId; topic = the subscription; dataVersion "2".
 */
import { randomUUID } from 'node:crypto';
import type { TokenClaims } from '../auth/jwt.js';
import type { PrincipalType } from '../auth/principals.js';

export type ArmEventKind = 'write' | 'delete' | 'action';

export interface ArmEventInput {
  readonly kind: ArmEventKind;
  readonly resourceId: string;
  /** Canonical type, e.g. `Microsoft.Storage/storageAccounts`. */
  readonly resourceType: string;
  /** For actions: the action name, e.g. `listKeys`. */
  readonly action?: string;
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly claims: TokenClaims;
  readonly principalType: PrincipalType;
  readonly correlationId: string;
  readonly httpRequest?: {
    readonly clientRequestId: string;
    readonly clientIpAddress: string;
    readonly method: string;
    readonly url: string;
  };
  readonly time: Date;
}

export interface EventGridEvent {
  readonly topic: string;
  readonly subject: string;
  readonly eventType: string;
  readonly eventTime: string;
  readonly id: string;
  readonly data: Record<string, unknown>;
  readonly dataVersion: string;
  readonly metadataVersion: string;
}

export interface CloudEvent {
  readonly specversion: '1.0';
  readonly type: string;
  readonly source: string;
  readonly subject: string;
  readonly id: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: Record<string, unknown>;
}

const eventTypes: Readonly<Record<ArmEventKind, string>> = {
  write: 'Microsoft.Resources.ResourceWriteSuccess',
  delete: 'Microsoft.Resources.ResourceDeleteSuccess',
  action: 'Microsoft.Resources.ResourceActionSuccess',
};

/** Owner's built-in role definition id: the emulator's callers hold Owner unless a deny rule says otherwise. */
const ownerRoleDefinitionId = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

export function operationName(input: Pick<ArmEventInput, 'kind' | 'resourceType' | 'action'>): string {
  if (input.kind === 'action') return `${input.resourceType}/${input.action ?? 'action'}/action`;
  return `${input.resourceType}/${input.kind}`;
}

/** Claims as ARM puts them in events: a string map with the long URI names for oid and tid. */
function eventClaims(claims: TokenClaims): Record<string, string> {
  const out: Record<string, string> = {
    aud: claims.aud,
    iss: claims.iss,
    iat: String(claims.iat),
    nbf: String(claims.nbf),
    exp: String(claims.exp),
    appid: claims.appid,
    appidacr: claims.appidacr,
    idtyp: claims.idtyp,
    ver: claims.ver,
    'http://schemas.microsoft.com/identity/claims/objectidentifier': claims.oid,
    'http://schemas.microsoft.com/identity/claims/tenantid': claims.tid,
  };
  if (claims.name !== undefined) out['name'] = claims.name;
  if (claims.xms_mirid !== undefined) out['xms_mirid'] = claims.xms_mirid;
  return out;
}

function eventData(input: ArmEventInput): Record<string, unknown> {
  const op = operationName(input);
  return {
    authorization: {
      scope: input.resourceId,
      action: op,
      evidence: {
        role: 'Owner',
        roleAssignmentScope: `/subscriptions/${input.subscriptionId}`,
        roleAssignmentId: randomUUID().replaceAll('-', ''),
        roleDefinitionId: ownerRoleDefinitionId.replaceAll('-', ''),
        principalId: input.claims.oid.replaceAll('-', ''),
        principalType: input.principalType,
      },
    },
    claims: eventClaims(input.claims),
    correlationId: input.correlationId,
    ...(input.httpRequest === undefined ? {} : { httpRequest: input.httpRequest }),
    resourceProvider: input.resourceType.split('/')[0],
    resourceUri: input.resourceId,
    operationName: op,
    status: 'Succeeded',
    subscriptionId: input.subscriptionId,
    tenantId: input.tenantId,
  };
}

export function buildEventGridEvent(input: ArmEventInput): EventGridEvent {
  return {
    topic: `/subscriptions/${input.subscriptionId}`,
    subject: input.resourceId,
    eventType: eventTypes[input.kind],
    eventTime: input.time.toISOString(),
    id: randomUUID(),
    data: eventData(input),
    dataVersion: '2',
    metadataVersion: '1',
  };
}

export function toCloudEvent(event: EventGridEvent): CloudEvent {
  return {
    specversion: '1.0',
    type: event.eventType,
    source: event.topic,
    subject: event.subject,
    id: event.id,
    time: event.eventTime,
    datacontenttype: 'application/json',
    data: event.data,
  };
}
