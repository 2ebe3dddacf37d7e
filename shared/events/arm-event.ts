/**
 * One ARM event as the `armEvents` trigger receives it, in the Event Grid schema or CloudEvents 1.0
 * (research functions-eventgrid.md §2.2-2.4; ADR 0093), reduced to the few fields we use. The envelope is
 * checked by @azure/eventgrid's deserializer; `data` is not checked by it, so the fields we read
 * (operationName, resourceUri, status, subscriptionId) are checked here. Nothing else of `data` is
 * kept: claims and httpRequest carry personal data (names, IP addresses) and must not reach a log.
 */
import {
  type CloudEvent,
  type EventGridEvent,
  EventGridDeserializer,
  isSystemEvent,
  type KnownSystemEventTypes,
} from '@azure/eventgrid';
import { type ArmResourceId, armIdKey, tryParseArmId } from '../util/arm-id.js';

export type ArmEventKind = 'write' | 'delete' | 'action';
export type EventSchema = 'EventGridSchema' | 'CloudEventSchemaV1_0';

export interface ArmEvent {
  readonly id: string;
  readonly schema: EventSchema;
  readonly eventType: string;
  readonly kind: ArmEventKind;
  /** e.g. `Microsoft.ContainerService/managedClusters/agentPools/write`, as ARM spells it. */
  readonly operationName: string;
  /** `data.resourceUri` as given (casing varies between events; compare with `armIdKey`). */
  readonly resourceUri: string;
  readonly resource: ArmResourceId;
  readonly subscriptionId: string;
  /** ARM's `data.status`: `Succeeded` for the success event types. */
  readonly status: string;
}

export type ParsedEvent =
  | { readonly outcome: 'arm'; readonly event: ArmEvent }
  /** A well-formed event that is not an ARM resource success event (another type, a failure). */
  | { readonly outcome: 'foreign'; readonly id: string; readonly eventType: string }
  | { readonly outcome: 'malformed'; readonly id: string | undefined; readonly reason: string };

const successTypes: readonly (readonly [KnownSystemEventTypes, ArmEventKind])[] = [
  ['Microsoft.Resources.ResourceWriteSuccess', 'write'],
  ['Microsoft.Resources.ResourceDeleteSuccess', 'delete'],
  ['Microsoft.Resources.ResourceActionSuccess', 'action'],
];

const deserializer = new EventGridDeserializer();

type Read =
  | { readonly schema: 'EventGridSchema'; readonly envelope: EventGridEvent<unknown> }
  | { readonly schema: 'CloudEventSchemaV1_0'; readonly envelope: CloudEvent<unknown> };

function idOf(raw: Record<string, unknown>): string | undefined {
  return typeof raw['id'] === 'string' ? raw['id'] : undefined;
}

/** Deserializes one event of either schema; the SDK's message says what is wrong with it. */
async function envelopeOf(raw: Record<string, unknown>): Promise<Read | { reason: string }> {
  try {
    if (raw['specversion'] !== undefined) {
      const [envelope] = await deserializer.deserializeCloudEvents(raw);
      return envelope === undefined ? { reason: 'no event' } : { schema: 'CloudEventSchemaV1_0', envelope };
    }
    const [envelope] = await deserializer.deserializeEventGridEvents(raw);
    if (envelope === undefined) return { reason: 'no event' };
    if (Number.isNaN(envelope.eventTime.getTime())) return { reason: 'eventTime is not a date' };
    return { schema: 'EventGridSchema', envelope };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : 'the event could not be read' };
  }
}

/** The ARM success type the event is, through the SDK's system event guard for its schema. */
function successTypeOf(read: Read): (typeof successTypes)[number] | undefined {
  return successTypes.find(([type]) =>
    read.schema === 'EventGridSchema'
      ? isSystemEvent(type, read.envelope)
      : isSystemEvent(type, read.envelope),
  );
}

function typeOf(read: Read): string {
  return read.schema === 'EventGridSchema' ? read.envelope.eventType : read.envelope.type;
}

function str(data: Record<string, unknown>, name: string): string | { reason: string } {
  const value = data[name];
  if (typeof value !== 'string' || value.trim() === '')
    return { reason: `data.${name} is missing or not a string` };
  return value;
}

/** Validates the data fields we use of an ARM resource event. */
function armData(
  data: unknown,
):
  | { reason: string }
  | Pick<ArmEvent, 'operationName' | 'resourceUri' | 'resource' | 'subscriptionId' | 'status'> {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { reason: 'data is not an object' };
  const fields = data as Record<string, unknown>;
  const operationName = str(fields, 'operationName');
  if (typeof operationName !== 'string') return operationName;
  const resourceUri = str(fields, 'resourceUri');
  if (typeof resourceUri !== 'string') return resourceUri;
  const status = str(fields, 'status');
  if (typeof status !== 'string') return status;
  const subscriptionId = str(fields, 'subscriptionId');
  if (typeof subscriptionId !== 'string') return subscriptionId;
  if (!/^[^/]+(\/[^/]+)+$/.test(operationName))
    return { reason: 'data.operationName is not an ARM operation' };
  const resource = tryParseArmId(resourceUri);
  if (resource === undefined) return { reason: 'data.resourceUri is not an Azure resource id' };
  if (armIdKey(resource.subscriptionId) !== armIdKey(subscriptionId))
    return { reason: 'data.subscriptionId is not the subscription of data.resourceUri' };
  return { operationName, resourceUri, resource, subscriptionId, status };
}

/** Parses what the trigger received. Never throws: a bad event is an outcome with a reason. */
export async function parseArmEvent(raw: unknown): Promise<ParsedEvent> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { outcome: 'malformed', id: undefined, reason: 'the event is not a JSON object' };
  }
  const record = raw as Record<string, unknown>;
  const read = await envelopeOf(record);
  if ('reason' in read) return { outcome: 'malformed', id: idOf(record), reason: read.reason };
  const id = read.envelope.id;
  const match = successTypeOf(read);
  if (match === undefined) return { outcome: 'foreign', id, eventType: typeOf(read) };
  // The raw `data`, not the deserializer's copy: the SDK's serializer turns a string into an object.
  const data = armData(record['data']);
  if ('reason' in data) return { outcome: 'malformed', id, reason: data.reason };
  return {
    outcome: 'arm',
    event: { id, schema: read.schema, eventType: match[0], kind: match[1], ...data },
  };
}
