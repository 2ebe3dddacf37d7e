import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { apiRoutes, handleLinker } from '../shared/model/api/routes.js';
import { apiDependencies, callContextFor } from '../shared/runtime/api-dependencies.js';

/** PUT | GET | DELETE a linker under a managed or connected cluster (ServiceLinker's linker API). */
export async function linkers(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return await handleLinker(request, callContextFor(context), apiDependencies);
}

app.http('linkers', {
  route: apiRoutes.linker,
  methods: ['GET', 'PUT', 'DELETE'],
  authLevel: 'function',
  handler: linkers,
});
