import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { apiRoutes, handleTemplate } from '../shared/model/api/routes.js';
import { apiDependencies, callContextFor } from '../shared/runtime/api-dependencies.js';

/** PUT | GET | DELETE a connection template. */
export async function connectionTemplates(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return await handleTemplate(request, callContextFor(context), apiDependencies);
}

app.http('connectionTemplates', {
  route: apiRoutes.template,
  methods: ['GET', 'PUT', 'DELETE'],
  authLevel: 'function',
  handler: connectionTemplates,
});
