import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { apiRoutes, handleOperationStatus } from '../shared/model/api/routes.js';
import { apiDependencies, callContextFor } from '../shared/runtime/api-dependencies.js';

/** GET the status of an accepted PUT or DELETE (the Azure-AsyncOperation URL). */
export async function operationStatus(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return await handleOperationStatus(request, callContextFor(context), apiDependencies);
}

app.http('operationStatus', {
  route: apiRoutes.operationStatus,
  methods: ['GET'],
  authLevel: 'function',
  handler: operationStatus,
});
