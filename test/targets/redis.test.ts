import { describe, expect, it } from 'vitest';
import { targetModule } from '../../shared/targets/catalog.js';
import type { ClientType, ConfigAuth } from '../../shared/targets/types.js';
import { evaluate, identity } from './evaluate.js';
import { redisCache, redisListKeys } from './fixtures/arm.js';

const values = (resource = redisCache()) => ({ resource, childNames: ['2'], keys: redisListKeys, identity });

describe('Azure Cache for Redis target', () => {
  it.each<[string, ConfigAuth, ClientType, Record<string, string>, string[]]>([
    [
      'the .NET client gets a StackExchange.Redis string',
      'secret',
      'dotnet',
      {
        CONNECTIONSTRING:
          'r1.redis.cache.windows.net:6380,password=RedisPrimary+/=,ssl=True,defaultDatabase=2',
      },
      ['CONNECTIONSTRING'],
    ],
    [
      'the Python client gets a rediss URL with the key percent-encoded',
      'secret',
      'python',
      { CONNECTIONSTRING: 'rediss://:RedisPrimary%2B%2F%3D@r1.redis.cache.windows.net:6380/2' },
      ['CONNECTIONSTRING'],
    ],
    [
      'no client type gets host, port, database, password and ssl',
      'secret',
      'none',
      {
        HOST: 'r1.redis.cache.windows.net',
        PORT: '6380',
        DATABASE: '2',
        PASSWORD: 'RedisPrimary+/=',
        SSL: 'true',
      },
      ['PASSWORD'],
    ],
    [
      'workload identity gets the host and client id',
      'userAssignedIdentity',
      'nodejs',
      { HOST: 'r1.redis.cache.windows.net', CLIENTID: identity.clientId },
      [],
    ],
  ])('%s', (_name, auth, client, expected, credentials) => {
    const result = evaluate('redis', auth, client, values());
    expect(result.ok && result.values).toEqual(expected);
    expect(result.ok && result.credentials).toEqual(credentials);
  });

  it.each([
    [
      'without Entra authentication, the report says to enable it first',
      {},
      /enable Microsoft Entra authentication/,
    ],
    [
      'with Entra authentication, the report names the access policy only',
      { 'aad-enabled': 'true' },
      /^((?!enable Microsoft Entra).)*Data Contributor/,
    ],
  ])('grants no ARM role: %s', (_name, config, message) => {
    const auth = targetModule('redis').identityAuthorization(redisCache({ redisConfiguration: config }));
    expect(auth.kind).toBe('not-applicable');
    if (auth.kind === 'not-applicable') {
      expect(auth.reason).toBe('RedisAccessPolicyRequired');
      expect(auth.message).toMatch(message);
    }
  });

  it('serves the TLS port of its host', () => {
    expect(targetModule('redis').dataPlaneEndpoint(redisCache(), ['0'])).toBe(
      'r1.redis.cache.windows.net:6380',
    );
  });
});
