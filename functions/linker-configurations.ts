import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handleListConfigurations, linkerActionRoutes } from '../shared/reconcile/engine/linker-actions.js';
import { apiDependencies, callContextFor } from '../shared/runtime/api-dependencies.js';
import { reconcileRuntime } from '../shared/runtime/reconcile-dependencies.js';

/** POST .../linkers/{linkerName}/listConfigurations: the Secret's keys, credential values empty. */
export async function linkerConfigurations(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return await handleListConfigurations(
    request,
    callContextFor(context),
    apiDependencies,
    () => reconcileRuntime().engine,
  );
}

app.http('linkerConfigurations', {
  route: linkerActionRoutes.listConfigurations,
  methods: ['POST'],
  authLevel: 'function',
  handler: linkerConfigurations,
});
