/**
 * Everything a resource type module may use: the store, emulated time, the directory, the
 * Kubernetes backend, and the way resource providers write resources on their own (AKS creating
 * public IPs in the node resource group), which emits the same ARM events as a client's write.
 */
import type { TokenClaims } from '../auth/jwt.js';
import type { Principal, PrincipalDirectory } from '../auth/principals.js';
import type { Clock } from '../core/clock.js';
import { type JsonObject, type ResourceStore, type StoredResource, key } from '../core/store.js';
import type { ArmEventInput } from '../events/event-builder.js';
import type { Subscriptions } from '../platform/subscriptions.js';
import type { KubeClusterProvider } from '../../world/contracts.js';
import { parseArmId } from '../../../shared/util/arm-id.js';
import { IpAllocator } from '../types/network/ip-allocator.js';
import type { TypeRegistry } from './registry.js';
import type { RequestContext } from './request-context.js';
import type { EffectContext } from './types.js';

/** Who performed a write, for systemData and the event's claims. */
export interface Actor {
  readonly principal: Principal;
  readonly claims: TokenClaims;
  readonly correlationId: string;
  readonly httpRequest?: ArmEventInput['httpRequest'];
}

export interface WorldServices {
  readonly store: ResourceStore;
  readonly clock: Clock;
  readonly principals: PrincipalDirectory;
  readonly subscriptions: Subscriptions;
  readonly registry: TypeRegistry;
  readonly tenantId: string;
  readonly endpoint: string;
  /** PEM of the emulator's CA (kubeconfigs of clusters without a Kubernetes backend). */
  readonly caPem: string;
  readonly publish: (event: ArmEventInput) => void;
  /** The identity a resource provider acts as when it writes on its own. */
  readonly providerActor: (namespace: string) => Actor;
}

export class World {
  kubeProvider: KubeClusterProvider | undefined;
  /** Emulated seconds until a new principal is visible to role assignments (Entra replication). */
  principalPropagationSeconds = 0;
  /** Public IPv4 addresses and prefixes handed out by the emulated regions. */
  readonly ips = new IpAllocator();
  /** While true (seeding), writes emit no events. */
  muteEvents = false;
  /** Items per list page (`nextLink` beyond); undefined: every list is one page (ADR 0016). */
  listPageSize: number | undefined = undefined;

  constructor(private readonly services: WorldServices) {}

  get store(): ResourceStore {
    return this.services.store;
  }
  get clock(): Clock {
    return this.services.clock;
  }
  get principals(): PrincipalDirectory {
    return this.services.principals;
  }
  get subscriptions(): Subscriptions {
    return this.services.subscriptions;
  }
  get registry(): TypeRegistry {
    return this.services.registry;
  }
  get tenantId(): string {
    return this.services.tenantId;
  }
  get endpoint(): string {
    return this.services.endpoint;
  }
  get caPem(): string {
    return this.services.caPem;
  }

  kube(): KubeClusterProvider | undefined {
    return this.kubeProvider;
  }

  /** When a principal created now becomes visible to RBAC. */
  principalVisibleAt(): number {
    return this.clock.now() + this.clock.realMs(this.principalPropagationSeconds);
  }

  systemData(actor: Actor, existing?: JsonObject): JsonObject {
    const now = new Date(this.clock.now()).toISOString();
    const by = actor.principal.clientId;
    const byType =
      actor.principal.managedIdentityResourceId === undefined ? 'Application' : 'ManagedIdentity';
    const previous = existing?.['systemData'] as JsonObject | undefined;
    return {
      createdBy: previous?.['createdBy'] ?? by,
      createdByType: previous?.['createdByType'] ?? byType,
      createdAt: previous?.['createdAt'] ?? now,
      lastModifiedBy: by,
      lastModifiedByType: byType,
      lastModifiedAt: now,
    };
  }

  emit(
    kind: ArmEventInput['kind'],
    resource: { id: string; type: string },
    actor: Actor,
    action?: string,
  ): void {
    if (this.muteEvents) return;
    const parsed = parseArmId(resource.id);
    this.services.publish({
      kind,
      resourceId: resource.id,
      resourceType: resource.type,
      ...(action === undefined ? {} : { action }),
      subscriptionId: parsed.subscriptionId,
      tenantId: this.tenantId,
      claims: actor.claims,
      principalType: actor.principal.type,
      correlationId: actor.correlationId,
      ...(actor.httpRequest === undefined ? {} : { httpRequest: actor.httpRequest }),
      time: new Date(this.clock.now()),
    });
  }

  providerActor(namespace: string): Actor {
    return this.services.providerActor(namespace);
  }

  /**
   * A resource provider's own write (no client request): stores the resource with
   * provisioningState Succeeded and emits ResourceWriteSuccess as the provider's identity.
   */
  writeInternal(
    type: string,
    id: string,
    body: JsonObject,
    options: { secrets?: JsonObject; internal?: JsonObject; actor?: Actor } = {},
  ): StoredResource {
    const actor = options.actor ?? this.providerActor(type.split('/')[0] as string);
    const existing = this.store.get(id);
    const name = id.split('/').pop() as string;
    const properties = { ...(body['properties'] as JsonObject | undefined) };
    const def = this.registry.byType(type);
    if (def?.provisioningState !== 'none') properties['provisioningState'] = 'Succeeded';
    const stored: StoredResource = {
      id: existing?.id ?? id,
      type,
      body: {
        id: existing?.id ?? id,
        name,
        type,
        ...body,
        properties,
        systemData: this.systemData(actor, existing?.body),
      },
      secrets: options.secrets ?? existing?.secrets ?? {},
      internal: options.internal ?? existing?.internal ?? {},
    };
    this.store.put(stored);
    this.emit('write', stored, actor);
    return stored;
  }

  /**
   * Deletes a resource with everything under it (children, extension resources, a resource
   * group's contents), running each type's delete side effects and emitting delete events for the
   * resource and for the top-level resources that went with it.
   */
  async deleteInternal(
    id: string,
    actor: Actor,
    request?: RequestContext,
  ): Promise<StoredResource | undefined> {
    const root = this.store.get(id);
    if (root === undefined) return undefined;
    const descendants = this.store
      .under(root.id)
      .sort((a, b) => b.id.split('/').length - a.id.split('/').length);
    for (const r of [...descendants, root]) {
      if (!this.store.has(r.id)) continue;
      this.store.delete(r.id);
      const def = this.registry.byType(r.type);
      if (def?.afterDelete !== undefined) {
        const ctx: EffectContext = {
          id: r.id,
          resource: r,
          previous: r.body,
          world: this,
          request: request ?? syntheticRequest(actor, 'DELETE', r.id),
        };
        await def.afterDelete(ctx);
      }
      if (r === root || isTopLevel(r)) this.emit('delete', r, actor);
    }
    return root;
  }

  /** Subscriptions/resource group of an id and whether the group exists. */
  resourceGroupOf(id: string): StoredResource | undefined {
    const parsed = parseArmId(id);
    if (parsed.resourceGroup === undefined) return undefined;
    return this.store.get(`/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}`);
  }

  /** Direct children of `parentId` of the given type. */
  children(parentId: string, type: string): StoredResource[] {
    const depth = parentId.split('/').length + 2;
    return this.store.list(type, parentId).filter((r) => r.id.split('/').length === depth);
  }

  sameId(a: string, b: string): boolean {
    return key(a) === key(b);
  }
}

function isTopLevel(r: StoredResource): boolean {
  return r.type.split('/').length === 2 || r.type === 'Microsoft.Resources/resourceGroups';
}

export function syntheticRequest(actor: Actor, method: string, path: string): RequestContext {
  return {
    method,
    path,
    url: path,
    apiVersion: '',
    query: new URLSearchParams(),
    headers: {},
    body: undefined,
    principal: actor.principal,
    claims: actor.claims,
    correlationId: actor.correlationId,
    clientRequestId: actor.correlationId,
    clientIp: '127.0.0.1',
  };
}
