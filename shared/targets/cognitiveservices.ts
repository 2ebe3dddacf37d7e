/**
 * Azure AI services accounts (`.../Microsoft.CognitiveServices/accounts/{a}`): one target kind,
 * three configuration families chosen by the account's `kind` (Learn how-to-integrate-openai,
 * -ai-services, -cognitive-services): `OpenAI` publishes AZURE_OPENAI_*, `AIServices`
 * AZURE_AISERVICES_*, every other kind AZURE_COGNITIVESERVICES_*. The firewall is
 * `properties.networkAcls` like Storage and Key Vault.
 */
import { record, sameText, str, type ArmResource } from './arm-body.js';
import { networkAclsForm } from './firewall/network-acls.js';
import { roles } from './roles.js';
import type { ConfigAuth, ConfigItem, TargetModule } from './types.js';
import { field, identityItems, item, recipe, refuseAuth, refuseClient } from './values.js';

const title = 'Azure AI services';
const allowed: readonly ConfigAuth[] = ['userAssignedIdentity', 'secret', 'servicePrincipalSecret'];
const listKeys = { path: '/listKeys', describes: 'the account keys' };

type Family = 'OPENAI' | 'AISERVICES' | 'COGNITIVESERVICES';

export function family(resource: ArmResource): Family {
  if (sameText(resource.kind, 'OpenAI')) return 'OPENAI';
  if (sameText(resource.kind, 'AIServices')) return 'AISERVICES';
  return 'COGNITIVESERVICES';
}

function endpoint(resource: ArmResource): string | undefined {
  const sub = str(resource, 'properties', 'customSubDomainName') ?? resource.name;
  return (
    str(resource, 'properties', 'endpoint') ??
    (sub === undefined ? undefined : `https://${sub}.cognitiveservices.azure.com/`)
  );
}

/** The OpenAI endpoint of an OpenAI or AI services account. */
function openAiEndpoint(resource: ArmResource): string | undefined {
  const listed = str(record(resource, 'properties', 'endpoints'), 'OpenAI Language Model Instance API');
  if (listed !== undefined) return listed;
  if (family(resource) === 'OPENAI' && str(resource, 'properties', 'endpoint') !== undefined) {
    return str(resource, 'properties', 'endpoint');
  }
  const sub = str(resource, 'properties', 'customSubDomainName') ?? resource.name;
  return sub === undefined ? undefined : `https://${sub}.openai.azure.com/`;
}

function endpointItems(resource: ArmResource): ConfigItem[] {
  switch (family(resource)) {
    case 'OPENAI':
      return [item('BASE', 'resource', (v) => openAiEndpoint(v.resource))];
    case 'AISERVICES':
      return [
        item('OPENAI_BASE', 'resource', (v) => openAiEndpoint(v.resource)),
        item('COGNITIVESERVICES_ENDPOINT', 'resource', (v) => endpoint(v.resource)),
        item('SPEECH_ENDPOINT', 'resource', (v) =>
          v.resource.location === undefined
            ? undefined
            : `https://${v.resource.location.toLowerCase().replace(/\s+/g, '')}.stt.speech.microsoft.com`,
        ),
      ];
    case 'COGNITIVESERVICES':
      return [item('ENDPOINT', 'resource', (v) => endpoint(v.resource))];
  }
}

export const cognitiveServices: TargetModule = {
  kind: 'cognitiveservices',
  title,
  configuration(auth, client, resource) {
    const refused = refuseClient(client);
    if (refused !== undefined) return refused;
    if (!allowed.includes(auth)) return refuseAuth(title, auth, allowed);
    const endpoints = endpointItems(resource);
    return auth === 'secret'
      ? recipe(
          family(resource),
          [...endpoints, item('KEY', 'keys', (v) => field(v.keys, 'key1'), true)],
          listKeys,
        )
      : recipe(family(resource), [...endpoints, ...identityItems(auth)]);
  },
  identityAuthorization(resource) {
    switch (family(resource)) {
      case 'OPENAI':
        return { kind: 'arm-roles', roles: [roles.cognitiveServicesOpenAiContributor] };
      case 'AISERVICES':
        return {
          kind: 'arm-roles',
          roles: [roles.cognitiveServicesUser, roles.cognitiveServicesOpenAiContributor],
        };
      case 'COGNITIVESERVICES':
        return { kind: 'arm-roles', roles: [roles.cognitiveServicesUser] };
    }
  },
  firewall: networkAclsForm({
    name: 'cognitiveservices-network-acls',
    service: 'The AI services account',
    maxRules: undefined,
    limitSource: 'no documented limit found',
    noSmallPrefixes: false,
    writeAction: false,
    sameRegionIneffective: false,
  }),
  dataPlaneEndpoint: (resource) =>
    family(resource) === 'OPENAI' ? openAiEndpoint(resource) : endpoint(resource),
};
