/**
 * Route templates (ASP.NET syntax, under the host's `api` prefix) and the method dispatch of each
 * HTTP function. An ARM id has slashes, so the source is spelled out segment by segment; the
 * provider and type are parameters so that an unsupported source reaches us and gets a 400 that
 * names it instead of a 404 from the host.
 */
import { apiErrors } from '../arm-error.js';
import type { ApiDeps, CallContext } from './deps.js';
import { handleApi, type Route } from './handle.js';
import type { ApiRequest, ApiResponse } from './http.js';
import { deleteLinker, putLinker } from './linker-write.js';
import { getLinker, getOperationStatus, listLinkers } from './linker-read.js';
import { deleteTemplate, getTemplate, listTemplates, putTemplate } from './templates.js';

const linkersOfSource =
  'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{providerNamespace}/{resourceType}/{resourceName}/providers/Microsoft.ServiceLinker/linkers';

export const apiRoutes = {
  linker: `${linkersOfSource}/{linkerName}`,
  linkerList: linkersOfSource,
  template: 'connectionTemplates/{templateName}',
  templateList: 'connectionTemplates',
  operationStatus: 'providers/Microsoft.ServiceLinker/operationStatuses/{operationId}',
} as const;

function byMethod(routes: Readonly<Partial<Record<string, Route>>>): Route {
  return async (request, call, deps) => {
    const route = routes[request.method.toUpperCase()];
    if (route === undefined) {
      throw apiErrors.methodNotAllowed(request.method);
    }
    return await route(request, call, deps);
  };
}

const linkerRoute = byMethod({ GET: getLinker, PUT: putLinker, DELETE: deleteLinker });
const templateRoute = byMethod({ GET: getTemplate, PUT: putTemplate, DELETE: deleteTemplate });

type Entry = (request: ApiRequest, call: CallContext, deps: () => ApiDeps) => Promise<ApiResponse>;

export const handleLinker: Entry = (request, call, deps) => handleApi(request, call, deps, linkerRoute);
export const handleLinkerList: Entry = (request, call, deps) => handleApi(request, call, deps, listLinkers);
export const handleTemplate: Entry = (request, call, deps) => handleApi(request, call, deps, templateRoute);
export const handleTemplateList: Entry = (request, call, deps) =>
  handleApi(request, call, deps, listTemplates);
export const handleOperationStatus: Entry = (request, call, deps) =>
  handleApi(request, call, deps, getOperationStatus);
