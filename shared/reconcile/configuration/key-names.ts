/**
 * Configuration key names: Service Connector's `<Cloud>_<Type>_<Name>` rule, with the connection
 * name inserted (`<Cloud>_<Type>_<ConnectionName>_<Name>`) when another connection of the same type
 * in the namespace already holds the plain names (Learn concept-service-connector-internals), and
 * the rules the final key must meet as a Secret key and as an environment variable name
 * (research/k8s-side.md §6.4).
 */

/** `plain`: AZURE_STORAGEBLOB_RESOURCEENDPOINT; `qualified`: AZURE_STORAGEBLOB_CONN2_RESOURCEENDPOINT. */
export type KeyStyle = 'plain' | 'qualified';

/** Another connection in the same namespace, as the store keeps it. */
export interface SiblingConnection {
  readonly name: string;
  /** Its configuration type (`STORAGEBLOB`, `COSMOS`), from the catalog recipe. */
  readonly configType: string;
  readonly keyStyle: KeyStyle;
}

const cloud = 'AZURE';

/** `conn2` → `CONN2`, `orders-db.v2` → `ORDERS_DB_V2`. */
export function connectionNameSegment(connectionName: string): string {
  return connectionName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function configurationKey(
  type: string,
  name: string,
  style: KeyStyle,
  connectionName: string,
): string {
  const segment = connectionNameSegment(connectionName);
  return style === 'plain' || segment === ''
    ? `${cloud}_${type}_${name}`
    : `${cloud}_${type}_${segment}_${name}`;
}

/**
 * The style is chosen once, when the connection is first configured, and then kept (the caller
 * stores it), so that deleting the first connection never renames the keys pods already read.
 */
export function chooseKeyStyle(
  type: string,
  persisted: KeyStyle | undefined,
  siblings: readonly SiblingConnection[],
): KeyStyle {
  if (persisted !== undefined) return persisted;
  return siblings.some((s) => s.configType === type && s.keyStyle === 'plain') ? 'qualified' : 'plain';
}

/** Secret and ConfigMap keys (`IsConfigMapKey`): `[-._a-zA-Z0-9]+`, at most 253 characters, not `.` or `..`. */
export function secretKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 253) return 'must be 1 to 253 characters long';
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) return "may contain only letters, digits, '-', '_' and '.'";
  if (key === '.' || key === '..') return "must not be '.' or '..'";
  return undefined;
}

/**
 * The strict environment-variable rule `[-._a-zA-Z][-._a-zA-Z0-9]*`: clusters before Kubernetes
 * 1.32 (or with RelaxedEnvironmentVariableValidation off) skip other keys in `envFrom`.
 */
export function isPortableEnvName(key: string): boolean {
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key);
}
