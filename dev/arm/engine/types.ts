/**
 * What a resource type module declares. One generic engine (engine.ts) does the ARM mechanics
 * (routing checks, api-versions, PUT/PATCH/DELETE, long-running operations, events); a type module
 * only says how its bodies are validated and shaped, how its operations behave (sync or LRO and
 * with which headers), and which side effects follow (the node resource group of a cluster...).
 */
import type { ArmError } from '../core/arm-error.js';
import type { JsonObject, StoredResource } from '../core/store.js';
import type { RequestContext } from './request-context.js';
import type { World } from './world.js';

/** How a long-running write or delete answers and how long it takes. */
export interface LroSpec {
  /**
   * Polling headers on the initial response: `azure-async` = Azure-AsyncOperation only, `location`
   * = Location only (the result URL), `both`, or `none` (PUT polled through the resource's own
   * provisioningState, e.g. Key Vault).
   */
  readonly headers: 'azure-async' | 'location' | 'both' | 'none';
  /** Status of the initial response for a create (default 201) and an update (default 200). */
  readonly createStatus?: 200 | 201 | 202;
  readonly updateStatus?: 200 | 201 | 202;
  /** Answer the initial request without a body (typical of 202 + Location). */
  readonly emptyBody?: boolean;
  /** Emulated seconds the operation runs. */
  readonly seconds: number;
  /** Emulated seconds in the Retry-After header (default 10). */
  readonly retryAfterSeconds?: number;
}

export interface DeleteSpec {
  /** Undefined = synchronous: 200 when something was deleted, 204 when nothing was there. */
  readonly lro?: LroSpec;
  /** Status of a synchronous delete that removed the resource (default 200). */
  readonly status?: 200 | 204;
}

/** What `build` returns: the resource as GET will show it, and its secrets. */
export interface BuildResult {
  /** Top-level fields (location, tags, sku, kind, identity, properties, ...); id/name/type/systemData are added. */
  readonly body: JsonObject;
  readonly secrets?: JsonObject;
  readonly internal?: JsonObject;
}

export interface BuildContext extends RequestContext {
  readonly id: string;
  readonly name: string;
  /** The request body after PUT/PATCH semantics (PATCH: merged over the existing body). */
  readonly input: JsonObject;
  readonly existing: StoredResource | undefined;
  /** The parent resource for child types. */
  readonly parent: StoredResource | undefined;
  readonly world: World;
}

export interface EffectContext {
  readonly id: string;
  readonly resource: StoredResource;
  /** The resource before this write (undefined for a create). */
  readonly previous: JsonObject | undefined;
  readonly world: World;
  readonly request: RequestContext;
}

export interface ActionContext extends RequestContext {
  readonly id: string;
  readonly resource: StoredResource;
  readonly world: World;
}

export interface ActionResult {
  readonly status?: number;
  readonly body?: unknown;
  /** Emit ResourceActionSuccess (default true; ARM emits it for every successful POST). */
  readonly event?: boolean;
}

export interface ResourceTypeDef {
  /** Canonical type, e.g. `Microsoft.ContainerService/managedClusters/agentPools`. */
  readonly type: string;
  /** Stable api-versions accepted (any of them; bodies are the same shape here). */
  readonly apiVersions: readonly string[];
  /**
   * Where the type lives: `resourceGroup` (default), `subscription` (e.g. role definitions at
   * subscription scope) or `extension` (under any scope, like role assignments).
   */
  readonly scope?: 'resourceGroup' | 'subscription' | 'extension';
  /** For extension types: whether the scope is acceptable (e.g. extensions only on clusters). */
  readonly acceptsScope?: (scope: string, world: World) => ArmError | undefined;
  /**
   * The parent segments are addresses, not stored resources (a scale set VM's NIC ip configuration):
   * no parent check, and listing collects the stored records under the parent path.
   */
  readonly virtualParent?: boolean;
  /** Tracked resources carry a required location (default: true for top-level, false for children). */
  readonly tracked?: boolean;
  /** Name validation; return the error Azure gives for a bad name. */
  readonly validateName?: (name: string) => ArmError | undefined;
  /** Where provisioningState lives; `none` for types without one (role assignments). */
  readonly provisioningState?: 'properties' | 'none';
  /** Transient states used during an LRO (defaults Creating / Updating / Deleting). */
  readonly transientStates?: { readonly create?: string; readonly update?: string; readonly delete?: string };
  /** PUT semantics; absent = not creatable through the API (409/405). */
  readonly put?: {
    readonly lro?: LroSpec;
    /** LRO for updates of an existing resource when it differs from creates (storage: sync). */
    readonly updateLro?: LroSpec | null;
    /** Status of a synchronous create (default 201; some APIs answer 200, e.g. network rule sets). */
    readonly syncCreateStatus?: 200 | 201;
    readonly build: (ctx: BuildContext) => BuildResult;
  };
  /** PATCH semantics: merged over the existing body then built with `put.build` unless given. */
  readonly patch?: {
    readonly lro?: LroSpec;
    readonly build?: (ctx: BuildContext) => BuildResult;
  };
  readonly delete?: DeleteSpec;
  /** A 409 for writes while the resource (or its parent) is busy. */
  readonly checkBusy?: (ctx: {
    id: string;
    existing: StoredResource | undefined;
    world: World;
    method: string;
  }) => ArmError | undefined;
  /** Side effects of a completed write (sync: before the response; LRO: when it completes). */
  readonly afterWrite?: (ctx: EffectContext) => Promise<void> | void;
  /** Side effects of a completed delete (children are removed by the engine). */
  readonly afterDelete?: (ctx: EffectContext) => Promise<void> | void;
  /** POST actions by lower-case name, e.g. `listkeys`. */
  readonly actions?: Readonly<Record<string, (ctx: ActionContext) => Promise<ActionResult> | ActionResult>>;
  /** GET sub-collections that are not resource types of their own, e.g. a scale set's public IPs. */
  readonly views?: Readonly<Record<string, (ctx: ActionContext) => Promise<ActionResult> | ActionResult>>;
  /** Rewrites the stored body for a GET/list response (e.g. dropping write-only fields). */
  readonly present?: (body: JsonObject, world: World) => JsonObject;
  /** Finds a resource by id when it is not stored under that id (built-in role definitions at any scope). */
  readonly lookup?: (id: string, world: World) => StoredResource | undefined;
  /** Replaces the engine's listing (role assignments: at, above and below the scope, with $filter). */
  readonly list?: (ctx: RequestContext & { scope: string; world: World }) => JsonObject[];
  /** Extra list filtering ($filter) for the collection. */
  readonly filterList?: (
    items: StoredResource[],
    ctx: RequestContext & { scope: string; world: World },
  ) => StoredResource[];
  /** List reaches descendants of the scope, not only direct children (role assignments `atScope()`). */
  readonly listBelowScope?: boolean;
}
