/**
 * The HTTP side of validateLinker and listConfigurations (ADR 0033, docs/api.md): POST on
 * `.../linkers/{linkerName}/validateLinker` and `.../listConfigurations`, api-version and the ARM
 * error envelope through the API's own wrapper (`handleApi`), 404 for an unknown linker. Both read
 * only; transient read failures inside a validation are warnings of that check, not a 503.
 */
import { apiErrors } from '../../model/arm-error.js';
import type { ApiDeps, CallContext } from '../../model/api/deps.js';
import { handleApi } from '../../model/api/handle.js';
import { respond, type ApiRequest, type ApiResponse } from '../../model/api/http.js';
import { routeSourceAndName } from '../../model/api/linker-common.js';
import { apiRoutes } from '../../model/api/routes.js';
import { linkerId } from '../../model/source.js';
import { listConnectionConfigurations } from './list-configurations.js';
import type { ReconcileDeps } from './types.js';
import { validateConnection } from './validate.js';

export const linkerActionRoutes = {
  validate: `${apiRoutes.linker}/validateLinker`,
  listConfigurations: `${apiRoutes.linker}/listConfigurations`,
} as const;

type Entry = (
  request: ApiRequest,
  call: CallContext,
  api: () => ApiDeps,
  reconcile: () => ReconcileDeps,
) => Promise<ApiResponse>;

async function stored(request: ApiRequest, api: ApiDeps) {
  if (request.method.toUpperCase() !== 'POST') throw apiErrors.methodNotAllowed(request.method);
  const { source, name } = routeSourceAndName(request);
  const record = await api.store.connections.get(source.id, name);
  if (record === undefined) throw apiErrors.notFound('linker', name);
  return record;
}

export const handleValidateLinker: Entry = (request, call, api, reconcile) =>
  handleApi(request, call, api, async (req, _call, deps) => {
    const record = await stored(req, deps);
    const start = deps.clock().toISOString();
    const report = await validateConnection({ ...reconcile(), logger: call.logger }, record);
    const id = linkerId(record.clusterId, record.name);
    return respond(200, {
      resourceId: id,
      status: 'Succeeded',
      properties: {
        linkerName: record.name,
        isConnectionAvailable: report.isConnectionAvailable,
        reportStartTimeUtc: start,
        reportEndTimeUtc: deps.clock().toISOString(),
        sourceId: record.clusterId,
        targetId: report.targetId,
        authType: report.authType,
        validationDetail: report.validationDetail,
      },
    });
  });

export const handleListConfigurations: Entry = (request, call, api, reconcile) =>
  handleApi(request, call, api, async (req, _call, deps) => {
    const record = await stored(req, deps);
    const listing = await listConnectionConfigurations({ ...reconcile(), logger: call.logger }, record);
    if (!listing.ok) {
      const detail =
        listing.mitigation === undefined ? listing.message : `${listing.message} ${listing.mitigation}`;
      throw apiErrors.conflict(listing.code, `The configuration cannot be listed: ${detail}`);
    }
    return respond(200, { configurations: listing.configurations });
  });
