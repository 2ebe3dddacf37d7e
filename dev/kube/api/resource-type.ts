import type { JsonObject } from '../core/json.js';
import type { SchemaNode } from '../ssa/schema.js';
import type { NameValidator } from '../validation/names.js';
import type { FieldError } from './field-errors.js';
import type { GroupResource } from './status.js';

export interface ValidationContext {
  /** Minor version of the emulated Kubernetes (feature gates that changed behaviour). */
  readonly minor: number;
}

/** Cluster-wide allocations that registry strategies make while preparing an object. */
export interface PrepareContext extends ValidationContext {
  allocateServiceIP(): string;
  allocateNodePort(): number;
}

/**
 * What the emulator knows about one served resource: REST identity, discovery, registry strategy
 * flags (as in k8s.io/apiserver's generic registry) and the type's defaulting and validation.
 */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  /** Plural resource name in URLs, e.g. `deployments`. */
  readonly resource: string;
  readonly kind: string;
  readonly listKind: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly verbs: readonly string[];
  readonly subresources: readonly ('status' | 'scale')[];
  /** Built-in types accept strategic merge patch; custom resources answer 415. */
  readonly builtIn: boolean;
  /** metadata.generation is set on create and bumped on spec changes. */
  readonly tracksGeneration: boolean;
  /** A PUT without metadata.resourceVersion is allowed (false for custom resources). */
  readonly allowUnconditionalUpdate: boolean;
  readonly allowCreateOnUpdate: boolean;
  /** DELETE answers with the object instead of a Success Status. */
  readonly returnDeletedObject: boolean;
  readonly nameValidator: NameValidator;
  readonly schema: SchemaNode;
  /** Field selectors besides metadata.name / metadata.namespace. */
  readonly fieldSelectors?: Readonly<Record<string, (o: JsonObject) => string>>;
  /** Defaulting applied when a body is decoded (before admission). */
  readonly defaults?: (o: JsonObject, ctx: ValidationContext) => void;
  readonly prepareForCreate?: (o: JsonObject, ctx: PrepareContext) => void;
  readonly prepareForUpdate?: (o: JsonObject, old: JsonObject) => void;
  readonly validate?: (o: JsonObject, ctx: ValidationContext) => FieldError[];
  readonly validateUpdate?: (o: JsonObject, old: JsonObject, ctx: ValidationContext) => FieldError[];
}

export function apiVersionOf(t: ResourceType): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}

export function groupResource(t: ResourceType): GroupResource {
  return { group: t.group, resource: t.resource };
}

/** Defaults shared by most built-in resources; each definition overrides what differs. */
export function builtIn(
  def: Pick<
    ResourceType,
    'group' | 'version' | 'resource' | 'kind' | 'namespaced' | 'nameValidator' | 'schema'
  > &
    Partial<ResourceType>,
): ResourceType {
  return {
    listKind: `${def.kind}List`,
    singular: def.kind.toLowerCase(),
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
    builtIn: true,
    tracksGeneration: false,
    allowUnconditionalUpdate: true,
    allowCreateOnUpdate: false,
    returnDeletedObject: false,
    ...def,
  };
}
