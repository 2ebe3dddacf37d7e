/**
 * ARM resource ids: parsing, building and comparing. ARM treats ids case-insensitively and events
 * differ in casing (`resourcegroups` vs `resourceGroups`), so comparisons go through `armIdKey`.
 */

export interface ArmResourceId {
  readonly subscriptionId: string;
  /** Undefined for subscription-level resources (e.g. providers, role definitions). */
  readonly resourceGroup: string | undefined;
  /** e.g. `Microsoft.ContainerService`; undefined for a bare subscription or resource group id. */
  readonly provider: string | undefined;
  /** Type segments after the provider, e.g. `['managedClusters', 'agentPools']`. */
  readonly types: readonly string[];
  /** Names matching `types`, e.g. `['aks1', 'nodepool1']`. */
  readonly names: readonly string[];
  /** The id as given, normalized only by trimming a trailing slash. */
  readonly id: string;
}

export class InvalidArmIdError extends Error {
  constructor(
    readonly value: string,
    readonly why: string,
  ) {
    super(`'${value}' is not a valid Azure resource id: ${why}`);
    this.name = 'InvalidArmIdError';
  }
}

const segment = /^[^/?#]+$/;

/**
 * Parses `/subscriptions/{s}[/resourceGroups/{rg}][/providers/{ns}/{type}/{name}[/{type}/{name}]...]`.
 * Extension resources (`.../providers/A/x/y/providers/B/z/w`) keep only the innermost provider; use
 * `splitExtensionId` for those.
 */
export function parseArmId(value: string): ArmResourceId {
  const id = value.endsWith('/') ? value.slice(0, -1) : value;
  if (!id.startsWith('/')) throw new InvalidArmIdError(value, 'it must start with /subscriptions/');
  const parts = id.slice(1).split('/');
  if (parts.some((p) => !segment.test(p)))
    throw new InvalidArmIdError(value, 'it has an empty or invalid segment');
  if (parts[0]?.toLowerCase() !== 'subscriptions' || parts[1] === undefined) {
    throw new InvalidArmIdError(value, 'it must start with /subscriptions/{subscriptionId}');
  }
  const subscriptionId = parts[1];
  let index = 2;
  let resourceGroup: string | undefined;
  if (parts[index]?.toLowerCase() === 'resourcegroups') {
    resourceGroup = parts[index + 1];
    if (resourceGroup === undefined) throw new InvalidArmIdError(value, 'the resource group name is missing');
    index += 2;
  }
  if (index === parts.length) {
    return { subscriptionId, resourceGroup, provider: undefined, types: [], names: [], id };
  }
  if (parts[index]?.toLowerCase() !== 'providers' || parts[index + 1] === undefined) {
    throw new InvalidArmIdError(value, `expected 'providers' at segment ${index + 1}`);
  }
  const provider = parts[index + 1] as string;
  const rest = parts.slice(index + 2);
  if (rest.length === 0 || rest.length % 2 !== 0) {
    throw new InvalidArmIdError(value, 'resource types and names must come in pairs after the provider');
  }
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    types.push(rest[i] as string);
    names.push(rest[i + 1] as string);
  }
  return { subscriptionId, resourceGroup, provider, types, names, id };
}

export function tryParseArmId(value: string): ArmResourceId | undefined {
  try {
    return parseArmId(value);
  } catch {
    return undefined;
  }
}

/** `Microsoft.ContainerService/managedClusters/agentPools` */
export function armResourceType(id: ArmResourceId): string {
  return [id.provider ?? '', ...id.types].join('/');
}

/** The name of the innermost resource. */
export function armResourceName(id: ArmResourceId): string {
  return id.names[id.names.length - 1] ?? id.resourceGroup ?? id.subscriptionId;
}

/** The id of the parent resource (one type/name pair up), or undefined for a top-level resource. */
export function armParentId(id: ArmResourceId): string | undefined {
  if (id.types.length < 2 || id.provider === undefined) return undefined;
  return buildArmId({
    subscriptionId: id.subscriptionId,
    resourceGroup: id.resourceGroup,
    provider: id.provider,
    types: id.types.slice(0, -1),
    names: id.names.slice(0, -1),
  });
}

export function buildArmId(parts: {
  subscriptionId: string;
  resourceGroup?: string | undefined;
  provider: string;
  types: readonly string[];
  names: readonly string[];
}): string {
  if (parts.types.length !== parts.names.length || parts.types.length === 0) {
    throw new Error('buildArmId: types and names must be non-empty and of equal length');
  }
  const scope =
    `/subscriptions/${parts.subscriptionId}` +
    (parts.resourceGroup === undefined ? '' : `/resourceGroups/${parts.resourceGroup}`);
  const pairs = parts.types.map((t, i) => `${t}/${parts.names[i] as string}`).join('/');
  return `${scope}/providers/${parts.provider}/${pairs}`;
}

/** A case-insensitive key for maps, table keys and comparisons. */
export function armIdKey(id: string): string {
  return (id.endsWith('/') ? id.slice(0, -1) : id).toLowerCase();
}

export function sameArmId(a: string, b: string): boolean {
  return armIdKey(a) === armIdKey(b);
}

/**
 * Splits an extension resource id at its last `/providers/` into the scope it extends and the
 * extension part, e.g. a linker under a cluster or a role assignment under a storage account.
 */
export function splitExtensionId(
  value: string,
): { scope: string; provider: string; path: string[] } | undefined {
  const lower = value.toLowerCase();
  const at = lower.lastIndexOf('/providers/');
  if (at <= 0) return undefined;
  const scope = value.slice(0, at);
  const tail = value.slice(at + '/providers/'.length).split('/');
  const provider = tail[0];
  if (provider === undefined || provider === '' || tryParseArmId(scope) === undefined) return undefined;
  return { scope, provider, path: tail.slice(1) };
}
