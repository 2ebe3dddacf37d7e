/**
 * Azure App Configuration (`.../configurationStores/{s}`). Secret auth publishes the read-only
 * primary connection string, matching the read-only role identities get (ADR 0050). App
 * Configuration has no IP firewall: only public network access, which is reported when off.
 */
import { str, type ArmResource } from './arm-body.js';
import { publicAccessOnlyForm } from './firewall/public-access-only.js';
import { roles } from './roles.js';
import type { ConfigAuth, TargetModule } from './types.js';
import {
  appConfigReadOnlyConnectionString,
  identityItems,
  item,
  recipe,
  refuseAuth,
  refuseClient,
} from './values.js';

const title = 'Azure App Configuration';
const allowed: readonly ConfigAuth[] = ['userAssignedIdentity', 'secret', 'servicePrincipalSecret'];

function endpoint(resource: ArmResource): string | undefined {
  return (
    str(resource, 'properties', 'endpoint') ??
    (resource.name === undefined ? undefined : `https://${resource.name}.azconfig.io`)
  );
}

export const appConfig: TargetModule = {
  kind: 'appconfig',
  title,
  configuration(auth, client) {
    const refused = refuseClient(client);
    if (refused !== undefined) return refused;
    if (!allowed.includes(auth)) return refuseAuth(title, auth, allowed);
    if (auth === 'secret') {
      return recipe(
        'APPCONFIGURATION',
        [item('CONNECTIONSTRING', 'keys', (v) => appConfigReadOnlyConnectionString(v.keys), true)],
        { path: '/listKeys', describes: 'the access keys' },
      );
    }
    return recipe('APPCONFIGURATION', [
      item('ENDPOINT', 'resource', (v) => endpoint(v.resource)),
      ...identityItems(auth),
    ]);
  },
  identityAuthorization: () => ({ kind: 'arm-roles', roles: [roles.appConfigurationDataReader] }),
  firewall: publicAccessOnlyForm('The App Configuration store'),
  dataPlaneEndpoint: (resource) => endpoint(resource),
};
