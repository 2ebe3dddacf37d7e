/**
 * The targets catalog: one module per target kind of kinds.ts. `targetModule(kind)` is total, so
 * adding a kind without a module fails to compile.
 */
import { appConfig } from './appconfig.js';
import { cognitiveServices } from './cognitiveservices.js';
import { cosmosCassandra } from './cosmos-cassandra.js';
import { cosmosGremlin } from './cosmos-gremlin.js';
import { cosmosMongo } from './cosmos-mongo.js';
import { cosmosSql } from './cosmos-sql.js';
import { cosmosTable } from './cosmos-table.js';
import { eventHub } from './eventhub.js';
import { keyVault } from './keyvault.js';
import type { TargetKind } from './kinds.js';
import { mqttBroker } from './mqtt-broker.js';
import { mysqlFlexible } from './mysql-flexible.js';
import { postgresFlexible } from './postgres-flexible.js';
import { redis } from './redis.js';
import { serviceBus } from './servicebus.js';
import { sql } from './sql.js';
import { storageBlob } from './storage-blob.js';
import { storageFile } from './storage-file.js';
import { storageQueue } from './storage-queue.js';
import { storageTable } from './storage-table.js';
import type { ArmResource } from './arm-body.js';
import type { ClientType, ConfigAuth, KeysAction, TargetModule, ValueSource } from './types.js';

const modules: Readonly<Record<TargetKind, TargetModule>> = {
  'storage-blob': storageBlob,
  'storage-queue': storageQueue,
  'storage-table': storageTable,
  'storage-file': storageFile,
  keyvault: keyVault,
  'cosmos-sql': cosmosSql,
  'cosmos-mongo': cosmosMongo,
  'cosmos-cassandra': cosmosCassandra,
  'cosmos-gremlin': cosmosGremlin,
  'cosmos-table': cosmosTable,
  sql,
  'postgres-flexible': postgresFlexible,
  'mysql-flexible': mysqlFlexible,
  redis,
  servicebus: serviceBus,
  eventhub: eventHub,
  appconfig: appConfig,
  cognitiveservices: cognitiveServices,
  'mqtt-broker': mqttBroker,
};

export function targetModule(kind: TargetKind): TargetModule {
  return modules[kind];
}

/**
 * What the gatherer must fetch before planning a connection's configuration: the key action to
 * POST (if any) and the kinds of values the recipe reads, or the refusal.
 */
export function configurationNeeds(
  kind: TargetKind,
  auth: ConfigAuth,
  client: ClientType,
  resource: ArmResource,
):
  | {
      readonly ok: true;
      readonly keysAction: KeysAction | undefined;
      readonly sources: readonly ValueSource[];
    }
  | { readonly ok: false; readonly reason: string; readonly message: string } {
  const recipe = modules[kind].configuration(auth, client, resource);
  if (!recipe.ok) return recipe;
  return {
    ok: true,
    keysAction: recipe.keysAction,
    sources: [...new Set(recipe.items.map((i) => i.source))],
  };
}
