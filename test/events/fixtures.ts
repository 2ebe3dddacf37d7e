/**
 * ARM events as Event Grid delivers them (test/events/fixtures): the Event Grid schema POST bodies
 * (an array of one event) and CloudEvents 1.0 events. Every read parses the file again, so a test
 * may change what it gets.
 */
import { readdirSync, readFileSync } from 'node:fs';

const dir = new URL('./fixtures/', import.meta.url);

export const subscriptionId = '5f3b1c4e-8a2d-4e6f-9b7a-2c1d0e9f8a7b';
const sub = `/subscriptions/${subscriptionId}`;

/** The resources the fixtures name, spelled as the reconciler would record them. */
export const ids = {
  aks: `${sub}/resourceGroups/rg-aks-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-1`,
  arc: `${sub}/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/arc-store-7`,
  publicIp: `${sub}/resourceGroups/MC_rg-aks-prod_aks-prod-1_westeurope/providers/Microsoft.Network/publicIPAddresses/kubernetes-a1b2c3`,
  prefix: `${sub}/resourceGroups/rg-network/providers/Microsoft.Network/publicIPPrefixes/ippre-egress`,
  natGateway: `${sub}/resourceGroups/rg-network/providers/Microsoft.Network/natGateways/ng-egress`,
  storage: `${sub}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stproddata01`,
  sql: `${sub}/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-prod-01`,
  keyVault: `${sub}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-prod-01`,
  identity: `${sub}/resourceGroups/rg-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders`,
} as const;

export type EventGridBody = [Record<string, unknown> & { id: string; data: Record<string, unknown> }];

export const eventGridFixtureNames: readonly string[] = readdirSync(new URL('eventgrid/', dir))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

/** The POST body Event Grid sends (Event Grid schema): an array of one event. */
export function eventGridBody(name: string): EventGridBody {
  return JSON.parse(readFileSync(new URL(`eventgrid/${name}.json`, dir), 'utf8')) as EventGridBody;
}

/** The one event the trigger receives. */
export function eventGridEvent(name: string): EventGridBody[0] {
  return eventGridBody(name)[0];
}

/** As Event Grid converts a system event for a CloudEvents 1.0 subscription (research §2.4). */
export function toCloudEvent(event: EventGridBody[0]): Record<string, unknown> {
  return {
    specversion: '1.0',
    type: event['eventType'],
    source: event['topic'],
    subject: event['subject'],
    id: event.id,
    time: event['eventTime'],
    datacontenttype: 'application/json',
    data: event.data,
  };
}

/** The stored CloudEvents fixture when there is one, else the converted Event Grid fixture. */
export function cloudEvent(name: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(new URL(`cloudevents/${name}.json`, dir), 'utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return toCloudEvent(eventGridEvent(name));
  }
}

export type Schema = 'EventGridSchema' | 'CloudEventSchemaV1_0';
export const schemas: readonly Schema[] = ['EventGridSchema', 'CloudEventSchemaV1_0'];

export function fixtureEvent(name: string, schema: Schema): Record<string, unknown> {
  return schema === 'EventGridSchema' ? eventGridEvent(name) : cloudEvent(name);
}
