import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { apiRoutes, handleTemplateList } from '../shared/model/api/routes.js';
import { apiDependencies, callContextFor } from '../shared/runtime/api-dependencies.js';

/** GET every connection template. */
export async function connectionTemplateList(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return await handleTemplateList(request, callContextFor(context), apiDependencies);
}

app.http('connectionTemplateList', {
  route: apiRoutes.templateList,
  methods: ['GET'],
  authLevel: 'function',
  handler: connectionTemplateList,
});
