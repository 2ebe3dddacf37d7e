/**
 * The Microsoft Entra side of the world, as far as ARM sees it: which principals exist (for
 * role assignments) and when a new one becomes visible. A principal created moments ago is not
 * yet replicated to ARM's RBAC, so role assignments for it fail with PrincipalNotFound for a while.
 */
import { randomUUID } from 'node:crypto';

export type PrincipalType = 'ServicePrincipal' | 'User' | 'Group';

export interface Principal {
  /** Object id (`oid`). */
  readonly principalId: string;
  /** Application id (`appid`); for managed identities their client id. */
  readonly clientId: string;
  readonly displayName: string;
  readonly type: PrincipalType;
  /** Real epoch ms from which ARM RBAC sees the principal. */
  readonly visibleAt: number;
  /** For managed identities: the identity's ARM resource id. */
  readonly managedIdentityResourceId?: string;
}

export interface PrincipalSpec {
  readonly displayName?: string;
  readonly principalId?: string;
  readonly clientId?: string;
  readonly type?: PrincipalType;
}

export class PrincipalDirectory {
  private readonly byObjectId = new Map<string, Principal>();

  add(spec: PrincipalSpec & { visibleAt?: number; managedIdentityResourceId?: string }): Principal {
    const principalId = (spec.principalId ?? randomUUID()).toLowerCase();
    const existing = this.byObjectId.get(principalId);
    if (existing !== undefined) return existing;
    const principal: Principal = {
      principalId,
      clientId: (spec.clientId ?? randomUUID()).toLowerCase(),
      displayName: spec.displayName ?? principalId,
      type: spec.type ?? 'ServicePrincipal',
      visibleAt: spec.visibleAt ?? 0,
      ...(spec.managedIdentityResourceId === undefined
        ? {}
        : { managedIdentityResourceId: spec.managedIdentityResourceId }),
    };
    this.byObjectId.set(principalId, principal);
    return principal;
  }

  get(principalId: string): Principal | undefined {
    return this.byObjectId.get(principalId.toLowerCase());
  }

  byClientId(clientId: string): Principal | undefined {
    const c = clientId.toLowerCase();
    return [...this.byObjectId.values()].find((p) => p.clientId === c);
  }

  byName(displayName: string): Principal | undefined {
    return [...this.byObjectId.values()].find((p) => p.displayName === displayName);
  }

  byResourceId(resourceId: string): Principal | undefined {
    const r = resourceId.toLowerCase();
    return [...this.byObjectId.values()].find((p) => p.managedIdentityResourceId?.toLowerCase() === r);
  }

  remove(principalId: string): void {
    this.byObjectId.delete(principalId.toLowerCase());
  }

  /** Whether ARM RBAC can see the principal at real time `now`. */
  isVisible(principalId: string, now: number): boolean {
    const p = this.get(principalId);
    return p !== undefined && p.visibleAt <= now;
  }

  all(): Principal[] {
    return [...this.byObjectId.values()];
  }
}
