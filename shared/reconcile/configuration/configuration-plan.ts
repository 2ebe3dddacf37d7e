/**
 * The Secret's key/value map for one connection: the catalog recipe for the target, auth and
 * client type, values derived from what the gatherer collected, Service Connector's key naming
 * (second connection of a type in a namespace), `configurationInfo.customizedKeys` and
 * `additionalConfigurations`, then validation of the final keys. Pure: the caller persists the
 * chosen key style and writes the Secret.
 */
import { targetModule } from '../../targets/catalog.js';
import type { TargetKind } from '../../targets/kinds.js';
import type { ClientType, ConfigAuth, ConfigItem, GatheredValues, ValueSource } from '../../targets/types.js';
import { error, hasErrors, info, warning, type Check } from '../check.js';
import {
  chooseKeyStyle,
  configurationKey,
  isPortableEnvName,
  secretKeyProblem,
  type KeyStyle,
  type SiblingConnection,
} from './key-names.js';

export interface ConfigurationPlanInput {
  readonly kind: TargetKind;
  readonly auth: ConfigAuth;
  readonly clientType: ClientType;
  readonly connectionName: string;
  /** The style stored for this connection, once chosen. */
  readonly keyStyle?: KeyStyle;
  /** The other connections in the same namespace. */
  readonly siblings: readonly SiblingConnection[];
  readonly values: GatheredValues;
  /** `configurationInfo.customizedKeys`: default name → custom name. */
  readonly customizedKeys?: Readonly<Record<string, string>>;
  readonly additionalConfigurations?: Readonly<Record<string, string>>;
  /** `configurationInfo.action`. */
  readonly action?: 'enable' | 'optOut';
}

export interface ConfigurationEntry {
  readonly key: string;
  /** The name before customisation. */
  readonly defaultKey: string;
  readonly value: string;
  readonly credential: boolean;
  readonly source: ValueSource | 'additional';
}

export type ConfigurationPlan =
  | {
      readonly ok: true;
      readonly configType: string;
      readonly keyStyle: KeyStyle;
      readonly entries: readonly ConfigurationEntry[];
      /** The Secret's data as plain strings (the manifest builder encodes them). */
      readonly data: Readonly<Record<string, string>>;
      readonly credentialKeys: readonly string[];
      readonly checks: readonly Check[];
    }
  | { readonly ok: false; readonly checks: readonly Check[] };

/** Kubernetes caps a Secret's data at 1 MiB. */
const maxSecretBytes = 1024 * 1024;

const sourceText: Record<ValueSource, string> = {
  resource: "the target resource's properties",
  target: 'the target id',
  keys: 'the key action result',
  identity: "the identity's client id",
  tenant: 'the tenant id',
  servicePrincipal: "authInfo's service principal",
  userSecret: "authInfo's user name and secret",
  addonIdentity: "the cluster's azureKeyvaultSecretsProvider add-on identity",
  brokerListener: "the MQTT broker's default BrokerListener",
  constant: 'a constant',
};

interface Derived {
  readonly entry: ConfigurationEntry;
  /** `<Cloud>_<Type>_<Name>`, which customizedKeys may name even for a qualified connection. */
  readonly plainKey: string;
}

function derive(
  items: readonly ConfigItem[],
  input: ConfigurationPlanInput,
  type: string,
  style: KeyStyle,
  checks: Check[],
): Derived[] {
  return items.flatMap((it): Derived[] => {
    const defaultKey = configurationKey(type, it.name, style, input.connectionName);
    const value = it.value(input.values);
    if (value === undefined) {
      checks.push(
        error(
          'ConfigurationValueUnavailable',
          `${defaultKey} could not be derived from ${sourceText[it.source]}.`,
        ),
      );
      return [];
    }
    return [
      {
        entry: { key: defaultKey, defaultKey, value, credential: it.credential, source: it.source },
        plainKey: configurationKey(type, it.name, 'plain', input.connectionName),
      },
    ];
  });
}

/** Applies customizedKeys, matched on the generated name first, then on the plain name. */
function customise(
  derived: readonly Derived[],
  customized: Readonly<Record<string, string>>,
  checks: Check[],
): ConfigurationEntry[] {
  const used = new Set<string>();
  const out = derived.map(({ entry, plainKey }) => {
    const from = [entry.defaultKey, plainKey].find((k) => customized[k] !== undefined);
    if (from === undefined) return entry;
    used.add(from);
    return { ...entry, key: customized[from] as string };
  });
  for (const k of Object.keys(customized).filter((k) => !used.has(k))) {
    checks.push(
      warning(
        'CustomizedKeyUnmatched',
        `customizedKeys names '${k}', which this connection does not generate.`,
      ),
    );
  }
  return out;
}

function validate(entries: readonly ConfigurationEntry[], checks: Check[]): void {
  const byKey = new Map<string, ConfigurationEntry[]>();
  for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  for (const [key, group] of byKey) {
    if (group.length < 2) continue;
    const additional = group.some((e) => e.source === 'additional');
    checks.push(
      error(
        additional ? 'AdditionalConfigurationConflict' : 'DuplicateConfigurationKey',
        `'${key}' would be written by ${group.map((e) => (e.source === 'additional' ? 'additionalConfigurations' : e.defaultKey)).join(' and ')}.`,
        'Give each key its own name in configurationInfo.customizedKeys or additionalConfigurations.',
      ),
    );
  }
  for (const key of byKey.keys()) {
    const problem = secretKeyProblem(key);
    if (problem !== undefined) {
      checks.push(error('InvalidSecretKey', `'${key}' is not a valid Secret key: it ${problem}.`));
    } else if (!isPortableEnvName(key)) {
      checks.push(
        warning(
          'EnvironmentVariableNameNotPortable',
          `'${key}' starts with a digit: clusters before Kubernetes 1.32 skip it when the Secret is used with envFrom.`,
        ),
      );
    }
  }
  const bytes = entries.reduce((n, e) => n + Buffer.byteLength(e.value, 'utf8'), 0);
  if (bytes > maxSecretBytes) {
    checks.push(
      error('SecretTooLarge', `The configuration holds ${bytes} bytes; a Secret holds at most 1 MiB.`),
    );
  }
}

export function planConfiguration(input: ConfigurationPlanInput): ConfigurationPlan {
  const module = targetModule(input.kind);
  const recipe = module.configuration(input.auth, input.clientType, input.values.resource);
  if (!recipe.ok) return { ok: false, checks: [error(recipe.reason, recipe.message)] };
  const keyStyle = chooseKeyStyle(recipe.type, input.keyStyle, input.siblings);
  const checks: Check[] = [];
  if (input.action === 'optOut') {
    checks.push(
      info('ConfigurationOptedOut', 'configurationInfo.action is optOut: no configuration is written.'),
    );
    return { ok: true, configType: recipe.type, keyStyle, entries: [], data: {}, credentialKeys: [], checks };
  }
  const generated = derive(recipe.items, input, recipe.type, keyStyle, checks);
  const customised = customise(generated, input.customizedKeys ?? {}, checks);
  const additional = Object.entries(input.additionalConfigurations ?? {}).map(
    ([key, value]): ConfigurationEntry => ({
      key,
      defaultKey: key,
      value,
      credential: false,
      source: 'additional',
    }),
  );
  const entries = [...customised, ...additional];
  validate(entries, checks);
  if (hasErrors(checks)) return { ok: false, checks };
  return {
    ok: true,
    configType: recipe.type,
    keyStyle,
    entries,
    data: Object.fromEntries(entries.map((e) => [e.key, e.value])),
    credentialKeys: entries.filter((e) => e.credential).map((e) => e.key),
    checks,
  };
}

/** list-configuration's view: credential values are returned as empty strings, as Service Connector does. */
export function listConfiguration(entries: readonly ConfigurationEntry[]): { name: string; value: string }[] {
  return entries.map((e) => ({ name: e.key, value: e.credential ? '' : e.value }));
}
