/** Applies an `ArmWorldSeed` through the engine as the seed principal. */
import { randomUUID } from 'node:crypto';
import { isArmError } from '../core/arm-error.js';
import { str } from '../core/json.js';
import type { ResourceEngine } from '../engine/engine.js';
import type { RequestContext } from '../engine/request-context.js';
import type { Actor } from '../engine/world.js';
import { parseRoute } from '../http/route.js';
import { handleNativeRoute } from '../types/resources/native-routes.js';
import type { ArmWorldSeed, SeedResult } from './seed.js';

export async function loadSeed(
  seed: ArmWorldSeed,
  deps: { engine: ResourceEngine; actor: Actor; tenantId: string },
): Promise<SeedResult> {
  const { engine, actor } = deps;
  const { world } = engine;
  for (const p of seed.principals ?? []) world.principals.add(p);
  for (const s of seed.subscriptions) {
    world.subscriptions.add(s.subscriptionId, deps.tenantId, s.displayName);
    for (const [ns, state] of Object.entries(s.providers ?? {}))
      world.subscriptions.set(s.subscriptionId, ns, state);
  }
  const ids: string[] = [];
  const request = (method: string, path: string, body: unknown, apiVersion: string): RequestContext => ({
    method,
    path,
    url: world.endpoint + path,
    apiVersion,
    query: new URLSearchParams({ 'api-version': apiVersion }),
    headers: {},
    body,
    principal: actor.principal,
    claims: actor.claims,
    correlationId: randomUUID(),
    clientRequestId: randomUUID(),
    clientIp: '127.0.0.1',
  });
  const muted = world.muteEvents;
  world.muteEvents = true;
  try {
    for (const rg of seed.resourceGroups ?? []) {
      const path = `/subscriptions/${rg.subscriptionId}/resourceGroups/${rg.name}`;
      const route = parseRoute(path);
      handleNativeRoute(
        engine,
        request('PUT', path, { location: rg.location, tags: rg.tags }, '2025-04-01'),
        route,
      );
      ids.push(path);
    }
    for (const r of seed.resources ?? []) {
      const route = parseRoute(r.id);
      if (route.kind !== 'resource') throw new Error(`seed: '${r.id}' is not a resource id`);
      const def = engine.resolve(route, 'PUT')?.def;
      if (def === undefined) throw new Error(`seed: the emulator has no resource type for '${r.id}'`);
      const apiVersion = r.apiVersion ?? def.apiVersions[0] ?? '';
      try {
        const response = await engine.handle(request('PUT', r.id, r.body, apiVersion), route);
        await engine.operations.idle();
        ids.push(str((response.body as { id?: unknown } | undefined)?.id) ?? r.id);
      } catch (error) {
        if (isArmError(error))
          throw new Error(`seed: PUT ${r.id} failed with ${error.status} ${error.code}: ${error.message}`, {
            cause: error,
          });
        throw error;
      }
    }
  } finally {
    world.muteEvents = muted;
  }
  return { ids };
}
