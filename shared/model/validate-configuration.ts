/**
 * `properties.configurationInfo`: which keys land in the connection's Kubernetes Secret. Keys are
 * used as environment variable names (`envFrom.secretRef`), so they must be C identifiers, which
 * are also valid Secret keys.
 */
import { actionTypes, deleteOrUpdateBehaviors, type ConfigurationSpec } from './linker-spec.js';
import { childPath, type Issues } from './validation/issues.js';
import { readEnum, readObject, readStringMap, rejectUnknown } from './validation/readers.js';

export const envKeyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envKey = {
  pattern: envKeyPattern,
  patternHint: 'an environment variable name (letters, digits and underscores, not starting with a digit)',
  maxLength: 253,
};

/** Room left for the generated keys in a Secret (1 MiB in total). */
export const maxAdditionalConfigurationChars = 100_000;

const defaults: ConfigurationSpec = {
  action: 'enable',
  deleteOrUpdateBehavior: 'Default',
  customizedKeys: {},
  additionalConfigurations: {},
};

export function validateConfigurationInfo(
  value: unknown,
  path: string,
  issues: Issues,
): ConfigurationSpec | undefined {
  const obj = readObject(value, path, issues);
  if (obj === undefined) return value === undefined || value === null ? defaults : undefined;
  const ok = issues.clean(() =>
    rejectUnknown(
      obj,
      path,
      {
        known: ['action', 'deleteOrUpdateBehavior', 'customizedKeys', 'additionalConfigurations'],
        unsupported: {
          daprProperties: 'Dapr components are not created for Kubernetes sources',
          additionalConnectionStringProperties: 'not supported yet; add values with additionalConfigurations',
          configurationStore: 'App Configuration is not a configuration store for Kubernetes sources',
        },
        what: 'configurationInfo',
      },
      issues,
    ),
  );
  const action = readEnum(obj, 'action', path, issues, actionTypes) ?? 'enable';
  const deleteOrUpdateBehavior =
    readEnum(obj, 'deleteOrUpdateBehavior', path, issues, deleteOrUpdateBehaviors) ?? 'Default';
  const customizedKeys = readStringMap(obj, 'customizedKeys', path, issues, {
    maxEntries: 100,
    key: envKey,
    value: envKey,
  });
  const additional = readStringMap(obj, 'additionalConfigurations', path, issues, {
    maxEntries: 200,
    key: envKey,
    value: { maxLength: 32_768, allowEmpty: true },
  });
  const given = (key: string) => obj[key] !== undefined && obj[key] !== null;
  const badMap =
    (customizedKeys === undefined && given('customizedKeys')) ||
    (additional === undefined && given('additionalConfigurations'));
  if (!ok || badMap) return undefined;
  const spec: ConfigurationSpec = {
    action,
    deleteOrUpdateBehavior,
    customizedKeys: customizedKeys ?? {},
    additionalConfigurations: additional ?? {},
  };
  return checkConsistency(spec, path, issues) ? spec : undefined;
}

function checkConsistency(spec: ConfigurationSpec, path: string, issues: Issues): boolean {
  return issues.clean(() => {
    const keysPath = childPath(path, 'customizedKeys');
    const extraPath = childPath(path, 'additionalConfigurations');
    if (spec.action === 'optOut') {
      for (const [p, map] of [
        [keysPath, spec.customizedKeys],
        [extraPath, spec.additionalConfigurations],
      ] as const) {
        if (Object.keys(map).length > 0) {
          issues.add(
            'ConflictingProperties',
            p,
            `'${p}' cannot be given when '${childPath(path, 'action')}' is optOut (no configuration is written).`,
          );
        }
      }
    }
    const seen = new Map<string, string>();
    for (const [from, to] of Object.entries(spec.customizedKeys)) {
      const earlier = seen.get(to);
      if (earlier !== undefined) {
        issues.add(
          'ConflictingProperties',
          childPath(keysPath, from),
          `'${childPath(keysPath, from)}' renames to '${to}', as '${earlier}' already does.`,
        );
      }
      seen.set(to, from);
      if (Object.hasOwn(spec.additionalConfigurations, to)) {
        issues.add(
          'ConflictingProperties',
          childPath(extraPath, to),
          `'${childPath(extraPath, to)}' has the same name as a customized key.`,
        );
      }
    }
    const chars = Object.entries(spec.additionalConfigurations).reduce(
      (n, [k, v]) => n + k.length + v.length,
      0,
    );
    if (chars > maxAdditionalConfigurationChars) {
      issues.add(
        'TooLarge',
        extraPath,
        `'${extraPath}' holds ${chars} characters; at most ${maxAdditionalConfigurationChars} are allowed.`,
      );
    }
  });
}
