import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { apiRoutes, handleLinkerList } from '../shared/model/api/routes.js';
import { apiDependencies, callContextFor } from '../shared/runtime/api-dependencies.js';

/** GET the linkers of a managed or connected cluster. */
export async function linkerList(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return await handleLinkerList(request, callContextFor(context), apiDependencies);
}

app.http('linkerList', {
  route: apiRoutes.linkerList,
  methods: ['GET'],
  authLevel: 'function',
  handler: linkerList,
});
