import { describe, expect, it } from 'vitest';
import { targetModule } from '../../shared/targets/catalog.js';
import type { TargetKind } from '../../shared/targets/kinds.js';
import type { ConfigAuth } from '../../shared/targets/types.js';
import { evaluate, identity, servicePrincipal, tenantId } from './evaluate.js';
import { messagingListKeys, messagingNamespace } from './fixtures/arm.js';

const setup = (kind: TargetKind) => {
  const provider = kind === 'servicebus' ? 'ServiceBus' : 'EventHub';
  const name = kind === 'servicebus' ? 'sb1' : 'eh1';
  return {
    name,
    values: {
      resource: messagingNamespace(provider),
      childNames: [],
      keys: messagingListKeys(name),
      identity,
      servicePrincipal,
      tenantId,
    },
  };
};

describe('Service Bus and Event Hubs targets', () => {
  it.each<[TargetKind, ConfigAuth, string, string[]]>([
    ['servicebus', 'secret', 'SERVICEBUS', ['CONNECTIONSTRING']],
    ['servicebus', 'userAssignedIdentity', 'SERVICEBUS', []],
    ['eventhub', 'secret', 'EVENTHUB', ['CONNECTIONSTRING']],
    ['eventhub', 'servicePrincipalSecret', 'EVENTHUB', ['CLIENTSECRET']],
  ])('%s with %s publishes AZURE_%s_* keys', (kind, auth, type, credentials) => {
    const { name, values } = setup(kind);
    const result = evaluate(kind, auth, 'java', values);
    expect(result.ok && result.type).toBe(type);
    expect(result.ok && result.credentials).toEqual(credentials);
    const expected: Record<string, string> =
      auth === 'secret'
        ? {
            CONNECTIONSTRING: `Endpoint=sb://${name}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=Primary=`,
          }
        : auth === 'userAssignedIdentity'
          ? { FULLYQUALIFIEDNAMESPACE: `${name}.servicebus.windows.net`, CLIENTID: identity.clientId }
          : {
              FULLYQUALIFIEDNAMESPACE: `${name}.servicebus.windows.net`,
              CLIENTID: servicePrincipal.clientId,
              CLIENTSECRET: 'sp-secret',
              TENANTID: tenantId,
            };
    expect(result.ok && result.values).toEqual(expected);
  });

  it('reads the connection string from the RootManageSharedAccessKey rule', () => {
    const result = evaluate('eventhub', 'secret', 'none', setup('eventhub').values);
    expect(result.ok && result.keysPath).toBe('/authorizationRules/RootManageSharedAccessKey/listKeys');
  });

  it.each<[TargetKind, string[]]>([
    ['servicebus', ['4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0', '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39']],
    ['eventhub', ['a638d3c7-ab3a-418d-83e6-5f17a39d4fde', '2b629674-e913-4c01-ae53-ef4638d8f975']],
  ])('%s grants a receiver and a sender role', (kind, roleIds) => {
    const module = targetModule(kind);
    const auth = module.identityAuthorization(setup(kind).values.resource);
    expect(auth.kind === 'arm-roles' && auth.roles.map((r) => r.roleDefinitionId)).toEqual(roleIds);
    expect(module.dataPlaneEndpoint(setup(kind).values.resource, [])).toBe(
      `${setup(kind).name}.servicebus.windows.net`,
    );
  });
});
