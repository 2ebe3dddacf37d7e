import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handleValidateLinker, linkerActionRoutes } from '../shared/reconcile/engine/linker-actions.js';
import { apiDependencies, callContextFor } from '../shared/runtime/api-dependencies.js';
import { reconcileRuntime } from '../shared/runtime/reconcile-dependencies.js';

/** POST .../linkers/{linkerName}/validateLinker: ServiceLinker's ValidateOperationResult, reads only. */
export async function linkerValidate(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return await handleValidateLinker(
    request,
    callContextFor(context),
    apiDependencies,
    () => reconcileRuntime().engine,
  );
}

app.http('linkerValidate', {
  route: linkerActionRoutes.validate,
  methods: ['POST'],
  authLevel: 'function',
  handler: linkerValidate,
});
