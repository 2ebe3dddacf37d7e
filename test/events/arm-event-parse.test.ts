import { describe, expect, it } from 'vitest';
import { parseArmEvent } from '../../shared/events/arm-event.js';
import { cloudEvent, eventGridEvent, eventGridFixtureNames, fixtureEvent, schemas } from './fixtures.js';

const successFixtures = eventGridFixtureNames.filter((n) => n !== 'managed-cluster-write-failure');

describe('reading an ARM event', () => {
  describe.each(schemas)('in the %s', (schema) => {
    it.each(successFixtures)('reads %s with the fields we use', async (name) => {
      const raw = fixtureEvent(name, schema);
      const parsed = await parseArmEvent(raw);
      expect(parsed.outcome).toBe('arm');
      if (parsed.outcome !== 'arm') return;
      const data = eventGridEvent(name).data;
      expect(parsed.event).toMatchObject({
        id: raw['id'],
        schema,
        operationName: data['operationName'],
        resourceUri: data['resourceUri'],
        status: 'Succeeded',
        subscriptionId: data['subscriptionId'],
      });
      // Nothing personal is kept: no claims, no caller address.
      expect(JSON.stringify(parsed.event)).not.toMatch(/claims|203\.0\.113\.24|Dana/);
    });

    it('takes a failure event as foreign, not as ours', async () => {
      const parsed = await parseArmEvent(fixtureEvent('managed-cluster-write-failure', schema));
      expect(parsed).toMatchObject({
        outcome: 'foreign',
        eventType: 'Microsoft.Resources.ResourceWriteFailure',
      });
    });
  });

  it('takes an event of another system topic as foreign', async () => {
    const event = eventGridEvent('storage-account-write');
    event['eventType'] = 'Microsoft.Storage.BlobCreated';
    expect(await parseArmEvent(event)).toMatchObject({
      outcome: 'foreign',
      eventType: 'Microsoft.Storage.BlobCreated',
    });
  });

  type Edit = (event: Record<string, unknown>) => unknown;
  const data = (e: Record<string, unknown>) => e['data'] as Record<string, unknown>;

  it.each<[string, Edit, RegExp]>([
    ['a string instead of an object', () => 'not an event', /not a JSON object/],
    ['a batch (array) instead of one event', (e) => [e], /not a JSON object/],
    ['null', () => null, /not a JSON object/],
    ['an event without dataVersion', (e) => void delete e['dataVersion'], /dataVersion/],
    ['an event with metadataVersion 2', (e) => void (e['metadataVersion'] = '2'), /Event Grid schema/],
    ['an event whose eventTime is not a date', (e) => void (e['eventTime'] = 'yesterday'), /eventTime/],
    ['an event without data', (e) => void delete e['data'], /data/],
    ['an event whose data is text', (e) => void (e['data'] = 'hello'), /data is not an object/],
    ['an event without operationName', (e) => void delete data(e)['operationName'], /data\.operationName/],
    [
      'an event whose operationName is a number',
      (e) => void (data(e)['operationName'] = 42),
      /data\.operationName/,
    ],
    [
      'an event whose operationName is one word',
      (e) => void (data(e)['operationName'] = 'write'),
      /not an ARM operation/,
    ],
    ['an event without resourceUri', (e) => void delete data(e)['resourceUri'], /data\.resourceUri/],
    [
      'an event whose resourceUri is not an id',
      (e) => void (data(e)['resourceUri'] = 'aks-prod-1'),
      /not an Azure resource id/,
    ],
    ['an event without status', (e) => void delete data(e)['status'], /data\.status/],
    ['an event without subscriptionId', (e) => void delete data(e)['subscriptionId'], /data\.subscriptionId/],
    [
      'an event whose subscriptionId is another subscription',
      (e) => void (data(e)['subscriptionId'] = '00000000-0000-0000-0000-000000000000'),
      /not the subscription/,
    ],
  ])('calls %s malformed, with the reason', async (_name, edit, reason) => {
    const event = eventGridEvent('agent-pool-write');
    const edited = edit(event);
    const parsed = await parseArmEvent(edited === undefined ? event : edited);
    expect(parsed.outcome).toBe('malformed');
    expect(parsed.outcome === 'malformed' && parsed.reason).toMatch(reason);
  });

  it.each<[string, Edit, RegExp]>([
    ['specversion 0.3', (e) => void (e['specversion'] = '0.3'), /Cloud Event 1\.0/],
    ['no source', (e) => void delete e['source'], /source/],
    ['no resourceUri in data', (e) => void delete data(e)['resourceUri'], /data\.resourceUri/],
  ])('calls a CloudEvent with %s malformed', async (_name, edit, reason) => {
    const event = cloudEvent('agent-pool-delete');
    edit(event);
    const parsed = await parseArmEvent(event);
    expect(parsed.outcome === 'malformed' && parsed.reason).toMatch(reason);
  });
});
