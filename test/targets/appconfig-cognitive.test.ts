import { describe, expect, it } from 'vitest';
import { targetModule } from '../../shared/targets/catalog.js';
import type { ConfigAuth } from '../../shared/targets/types.js';
import { evaluate, identity } from './evaluate.js';
import { appConfigListKeys, appConfigStore, cognitiveAccount, cognitiveListKeys } from './fixtures/arm.js';

describe('App Configuration target', () => {
  it.each<[string, ConfigAuth, Record<string, string>, string[]]>([
    [
      'a secret publishes the read-only primary connection string',
      'secret',
      { CONNECTIONSTRING: 'Endpoint=https://ac1.azconfig.io;Id=k3;Secret=ro1' },
      ['CONNECTIONSTRING'],
    ],
    [
      'workload identity publishes the endpoint',
      'userAssignedIdentity',
      { ENDPOINT: 'https://ac1.azconfig.io', CLIENTID: identity.clientId },
      [],
    ],
  ])('%s', (_name, auth, expected, credentials) => {
    const result = evaluate('appconfig', auth, 'dotnet', {
      resource: appConfigStore(),
      childNames: [],
      keys: appConfigListKeys,
      identity,
    });
    expect(result.ok && result.values).toEqual(expected);
    expect(result.ok && result.credentials).toEqual(credentials);
  });

  it('grants App Configuration Data Reader', () => {
    const auth = targetModule('appconfig').identityAuthorization(appConfigStore());
    expect(auth.kind === 'arm-roles' && auth.roles.map((r) => r.roleDefinitionId)).toEqual([
      '516239f1-63e1-4d78-a4de-a74fb236a071',
    ]);
  });
});

describe('Azure AI services target', () => {
  it.each<[string, string, ConfigAuth, string, Record<string, string>, string[]]>([
    [
      'an OpenAI account with a key publishes AZURE_OPENAI_BASE and _KEY',
      'OpenAI',
      'secret',
      'OPENAI',
      { BASE: 'https://oai1.openai.azure.com/', KEY: 'cogkey1' },
      ['KEY'],
    ],
    [
      'an OpenAI account with workload identity publishes the base and client id',
      'OpenAI',
      'userAssignedIdentity',
      'OPENAI',
      { BASE: 'https://oai1.openai.azure.com/', CLIENTID: identity.clientId },
      [],
    ],
    [
      'an AI services account publishes its OpenAI, Cognitive Services and Speech endpoints',
      'AIServices',
      'userAssignedIdentity',
      'AISERVICES',
      {
        OPENAI_BASE: 'https://ai1.openai.azure.com/',
        COGNITIVESERVICES_ENDPOINT: 'https://ai1.cognitiveservices.azure.com/',
        SPEECH_ENDPOINT: 'https://swedencentral.stt.speech.microsoft.com',
        CLIENTID: identity.clientId,
      },
      [],
    ],
    [
      'another kind with a key publishes AZURE_COGNITIVESERVICES_ENDPOINT and _KEY',
      'CognitiveServices',
      'secret',
      'COGNITIVESERVICES',
      { ENDPOINT: 'https://ai1.cognitiveservices.azure.com/', KEY: 'cogkey1' },
      ['KEY'],
    ],
  ])('%s', (_name, kind, auth, type, expected, credentials) => {
    const result = evaluate('cognitiveservices', auth, 'python', {
      resource: cognitiveAccount(kind),
      childNames: [],
      keys: cognitiveListKeys,
      identity,
    });
    expect(result.ok && result.type).toBe(type);
    expect(result.ok && result.values).toEqual(expected);
    expect(result.ok && result.credentials).toEqual(credentials);
  });

  it.each([
    ['OpenAI', ['a001fd3d-188f-4b5d-821b-7da978bf7442']],
    ['AIServices', ['a97b65f3-24c7-4388-baec-2e87135dc908', 'a001fd3d-188f-4b5d-821b-7da978bf7442']],
    ['FormRecognizer', ['a97b65f3-24c7-4388-baec-2e87135dc908']],
  ])('a %s account grants its roles', (kind, roleIds) => {
    const auth = targetModule('cognitiveservices').identityAuthorization(cognitiveAccount(kind));
    expect(auth.kind === 'arm-roles' && auth.roles.map((r) => r.roleDefinitionId)).toEqual(roleIds);
  });
});
