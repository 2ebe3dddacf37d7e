/** Runs one catalog recipe over gathered values, as the configuration planner would, for assertions. */
import { targetModule } from '../../shared/targets/catalog.js';
import type { TargetKind } from '../../shared/targets/kinds.js';
import type { ClientType, ConfigAuth, GatheredValues } from '../../shared/targets/types.js';

export type Evaluated =
  | {
      ok: true;
      type: string;
      values: Record<string, string | undefined>;
      credentials: string[];
      keysPath: string | undefined;
    }
  | { ok: false; reason: string; message: string };

export function evaluate(
  kind: TargetKind,
  auth: ConfigAuth,
  client: ClientType,
  values: GatheredValues,
): Evaluated {
  const recipe = targetModule(kind).configuration(auth, client, values.resource);
  if (!recipe.ok) return recipe;
  return {
    ok: true,
    type: recipe.type,
    values: Object.fromEntries(recipe.items.map((i) => [i.name, i.value(values)])),
    credentials: recipe.items.filter((i) => i.credential).map((i) => i.name),
    keysPath: recipe.keysAction?.path,
  };
}

export const identity = { clientId: 'c0ffee00-0000-4000-8000-000000000001' };
export const servicePrincipal = { clientId: '5e7e0000-0000-4000-8000-000000000002', secret: 'sp-secret' };
export const tenantId = '11111111-1111-1111-1111-111111111111';
