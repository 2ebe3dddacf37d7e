/**
 * The typed calls for each kind of target resource (the top-level resource of a connection's
 * target): its read, its key actions (shared/targets' `keysAction.path`) and the one extra read its
 * firewall form asks for. One row per resource type; the catalog's 18 kinds map onto these 11.
 */
import type { OnResponse } from './reply.js';
import type { SdkClients } from './sdk-clients.js';

export interface TargetName {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

type Call = (clients: SdkClients, t: TargetName, onResponse: OnResponse) => Promise<unknown>;

export interface TargetType {
  readonly read: Call;
  /** Actions by lower-case path without the leading `/` (`listkeys`, `listconnectionstrings`). */
  readonly actions: Readonly<Record<string, Call>>;
  /** Actions that are paged POSTs (App Configuration `listKeys`): first page only here. */
  readonly pagedActions?: Readonly<Record<string, Call>>;
  /** `authorizationRules/{rule}/listKeys` on messaging namespaces. */
  readonly ruleKeys?: (
    clients: SdkClients,
    t: TargetName,
    rule: string,
    onResponse: OnResponse,
  ) => Promise<unknown>;
  /** The firewall form's extra read (`FirewallForm.extraRead`), by its path under the resource. */
  readonly extraRead?: {
    readonly path: 'networkRuleSets/default' | 'firewallRules';
    /** A collection: the call returns its first page. */
    readonly list: boolean;
    readonly call: Call;
  };
}

type Clients<C> = (clients: SdkClients, subscriptionId: string) => Promise<C>;
type Op<C> = (client: C, t: TargetName, onResponse: OnResponse) => Promise<unknown>;

/** A call on one package's client for the target's subscription. */
function via<C>(client: Clients<C>, op: Op<C>): Call {
  return async (clients, t, onResponse) => await op(await client(clients, t.subscriptionId), t, onResponse);
}

const first = (pages: { byPage(): AsyncIterableIterator<unknown> }) => pages.byPage().next();

const storage: Clients<Awaited<ReturnType<SdkClients['storage']>>> = (c, s) => c.storage(s);
const keyVault: Clients<Awaited<ReturnType<SdkClients['keyVault']>>> = (c, s) => c.keyVault(s);
const cosmos: Clients<Awaited<ReturnType<SdkClients['cosmos']>>> = (c, s) => c.cosmos(s);
const sql: Clients<Awaited<ReturnType<SdkClients['sql']>>> = (c, s) => c.sql(s);
const postgres: Clients<Awaited<ReturnType<SdkClients['postgres']>>> = (c, s) => c.postgres(s);
const mysql: Clients<Awaited<ReturnType<SdkClients['mysql']>>> = (c, s) => c.mysql(s);
const redis: Clients<Awaited<ReturnType<SdkClients['redis']>>> = (c, s) => c.redis(s);
const serviceBus: Clients<Awaited<ReturnType<SdkClients['serviceBus']>>> = (c, s) => c.serviceBus(s);
const eventHub: Clients<Awaited<ReturnType<SdkClients['eventHub']>>> = (c, s) => c.eventHub(s);
const appConfig: Clients<Awaited<ReturnType<SdkClients['appConfiguration']>>> = (c, s) =>
  c.appConfiguration(s);
const cognitive: Clients<Awaited<ReturnType<SdkClients['cognitiveServices']>>> = (c, s) =>
  c.cognitiveServices(s);

export const targetTypes: Readonly<Record<string, TargetType>> = {
  'microsoft.storage/storageaccounts': {
    read: via(storage, (c, t, onResponse) =>
      c.storageAccounts.getProperties(t.resourceGroup, t.name, { onResponse }),
    ),
    actions: {
      listkeys: via(storage, (c, t, onResponse) =>
        c.storageAccounts.listKeys(t.resourceGroup, t.name, { onResponse }),
      ),
    },
  },
  'microsoft.keyvault/vaults': {
    read: via(keyVault, (c, t, onResponse) => c.vaults.get(t.resourceGroup, t.name, { onResponse })),
    actions: {},
  },
  'microsoft.documentdb/databaseaccounts': {
    read: via(cosmos, (c, t, onResponse) => c.databaseAccounts.get(t.resourceGroup, t.name, { onResponse })),
    actions: {
      listkeys: via(cosmos, (c, t, onResponse) =>
        c.databaseAccounts.listKeys(t.resourceGroup, t.name, { onResponse }),
      ),
      listconnectionstrings: via(cosmos, (c, t, onResponse) =>
        c.databaseAccounts.listConnectionStrings(t.resourceGroup, t.name, { onResponse }),
      ),
    },
  },
  'microsoft.sql/servers': {
    read: via(sql, (c, t, onResponse) => c.servers.get(t.resourceGroup, t.name, { onResponse })),
    actions: {},
    extraRead: {
      path: 'firewallRules',
      list: true,
      call: via(sql, (c, t, onResponse) =>
        first(c.firewallRules.listByServer(t.resourceGroup, t.name, { onResponse })),
      ),
    },
  },
  'microsoft.dbforpostgresql/flexibleservers': {
    read: via(postgres, (c, t, onResponse) => c.servers.get(t.resourceGroup, t.name, { onResponse })),
    actions: {},
    extraRead: {
      path: 'firewallRules',
      list: true,
      call: via(postgres, (c, t, onResponse) =>
        first(c.firewallRules.listByServer(t.resourceGroup, t.name, { onResponse })),
      ),
    },
  },
  'microsoft.dbformysql/flexibleservers': {
    read: via(mysql, (c, t, onResponse) => c.servers.get(t.resourceGroup, t.name, { onResponse })),
    actions: {},
    extraRead: {
      path: 'firewallRules',
      list: true,
      call: via(mysql, (c, t, onResponse) =>
        first(c.firewallRules.listByServer(t.resourceGroup, t.name, { onResponse })),
      ),
    },
  },
  'microsoft.cache/redis': {
    read: via(redis, (c, t, onResponse) => c.redis.get(t.resourceGroup, t.name, { onResponse })),
    actions: {
      listkeys: via(redis, (c, t, onResponse) => c.redis.listKeys(t.resourceGroup, t.name, { onResponse })),
    },
    extraRead: {
      path: 'firewallRules',
      list: true,
      call: via(redis, (c, t, onResponse) =>
        first(c.firewallRules.list(t.resourceGroup, t.name, { onResponse })),
      ),
    },
  },
  'microsoft.servicebus/namespaces': {
    read: via(serviceBus, (c, t, onResponse) => c.namespaces.get(t.resourceGroup, t.name, { onResponse })),
    actions: {},
    ruleKeys: async (clients, t, rule, onResponse) =>
      await (
        await serviceBus(clients, t.subscriptionId)
      ).namespaces.listKeys(t.resourceGroup, t.name, rule, {
        onResponse,
      }),
    extraRead: {
      path: 'networkRuleSets/default',
      list: false,
      call: via(serviceBus, (c, t, onResponse) =>
        c.namespaces.getNetworkRuleSet(t.resourceGroup, t.name, { onResponse }),
      ),
    },
  },
  'microsoft.eventhub/namespaces': {
    read: via(eventHub, (c, t, onResponse) => c.namespaces.get(t.resourceGroup, t.name, { onResponse })),
    actions: {},
    ruleKeys: async (clients, t, rule, onResponse) =>
      await (
        await eventHub(clients, t.subscriptionId)
      ).namespaces.listKeys(t.resourceGroup, t.name, rule, {
        onResponse,
      }),
    extraRead: {
      path: 'networkRuleSets/default',
      list: false,
      call: via(eventHub, (c, t, onResponse) =>
        c.namespaces.getNetworkRuleSet(t.resourceGroup, t.name, { onResponse }),
      ),
    },
  },
  'microsoft.appconfiguration/configurationstores': {
    read: via(appConfig, (c, t, onResponse) =>
      c.configurationStores.get(t.resourceGroup, t.name, { onResponse }),
    ),
    actions: {},
    pagedActions: {
      listkeys: via(appConfig, (c, t, onResponse) =>
        first(c.configurationStores.listKeys(t.resourceGroup, t.name, { onResponse })),
      ),
    },
  },
  'microsoft.cognitiveservices/accounts': {
    read: via(cognitive, (c, t, onResponse) => c.accounts.get(t.resourceGroup, t.name, { onResponse })),
    actions: {
      listkeys: via(cognitive, (c, t, onResponse) =>
        c.accounts.listKeys(t.resourceGroup, t.name, { onResponse }),
      ),
    },
  },
};
