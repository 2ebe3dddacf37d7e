/**
 * What Service Bus and Event Hubs share: a namespace whose data-plane host comes from
 * `properties.serviceBusEndpoint`, a connection string from the namespace's
 * `RootManageSharedAccessKey` rule, a firewall in `networkRuleSets/default`, and a receiver plus
 * a sender role for identities.
 */
import { hostOf, str, type ArmResource } from './arm-body.js';
import { namespaceRuleSetForm } from './firewall/namespace-rule-set.js';
import type { TargetKind } from './kinds.js';
import type { ConfigAuth, RoleSpec, TargetModule } from './types.js';
import { field, identityItems, item, recipe, refuseAuth, refuseClient } from './values.js';

/** `<namespace>.servicebus.windows.net`. */
export function namespaceHost(resource: ArmResource): string | undefined {
  return (
    hostOf(str(resource, 'properties', 'serviceBusEndpoint')) ??
    (resource.name === undefined ? undefined : `${resource.name}.servicebus.windows.net`)
  );
}

const allowed: readonly ConfigAuth[] = ['userAssignedIdentity', 'secret', 'servicePrincipalSecret'];

export function messagingModule(options: {
  kind: TargetKind;
  title: string;
  service: string;
  type: string;
  roles: readonly RoleSpec[];
}): TargetModule {
  const { title, type } = options;
  return {
    kind: options.kind,
    title,
    configuration(auth, client) {
      const refused = refuseClient(client);
      if (refused !== undefined) return refused;
      if (!allowed.includes(auth)) return refuseAuth(title, auth, allowed);
      if (auth === 'secret') {
        return recipe(
          type,
          [item('CONNECTIONSTRING', 'keys', (v) => field(v.keys, 'primaryConnectionString'), true)],
          {
            path: '/authorizationRules/RootManageSharedAccessKey/listKeys',
            describes: "the namespace's RootManageSharedAccessKey rule keys",
          },
        );
      }
      return recipe(type, [
        item('FULLYQUALIFIEDNAMESPACE', 'resource', (v) => namespaceHost(v.resource)),
        ...identityItems(auth),
      ]);
    },
    identityAuthorization: () => ({ kind: 'arm-roles', roles: options.roles }),
    firewall: namespaceRuleSetForm(options.service),
    dataPlaneEndpoint: (resource) => namespaceHost(resource),
  };
}
