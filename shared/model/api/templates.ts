/**
 * Connection templates: PUT, GET, DELETE and list. A template is our own resource and takes
 * effect synchronously (201/200, DELETE 200/204): applying it to clusters is the work of the
 * event and sweep triggers, which read templates from the store.
 */
import { apiErrors } from '../arm-error.js';
import { storeLimits } from '../limits.js';
import { formatEtag } from '../linker-view.js';
import { sealDraft } from '../seal-spec.js';
import {
  connectionPropertiesPath,
  templateNameHint,
  templateNamePattern,
  templateView,
  validateTemplateBody,
  type TemplateRecord,
} from '../template.js';
import { Issues } from '../validation/issues.js';
import type { ApiDeps, CallContext } from './deps.js';
import { readJsonBody, respond, type ApiRequest, type ApiResponse } from './http.js';
import { checkPreconditions, readPreconditions } from './preconditions.js';

const attempts = 3;

function routeName(request: ApiRequest): string {
  const name = request.params['templateName'] ?? '';
  if (templateNamePattern.test(name)) return name;
  const issues = new Issues();
  issues.add(
    'InvalidValue',
    'templateName',
    `The template name '${name.slice(0, 140)}' is not valid: use ${templateNameHint}.`,
  );
  throw apiErrors.validation(issues.list, 'request');
}

function raced(): never {
  throw apiErrors.conflict(
    'Conflict',
    'The template changed while this request was being processed; retry the request.',
  );
}

export async function putTemplate(
  request: ApiRequest,
  call: CallContext,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const name = routeName(request);
  const issues = new Issues();
  const draft = validateTemplateBody(await readJsonBody(request), issues);
  if (!issues.ok || draft === undefined) throw apiErrors.validation(issues.list, 'connection template');
  const preconditions = readPreconditions(request.headers);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const existing = await deps.store.templates.get(name);
    checkPreconditions(preconditions, existing?.revision, `template '${name}'`);
    const sealIssues = new Issues();
    const previous = existing?.spec.connection.properties;
    const properties = sealDraft(
      draft.connection.properties,
      { cipher: deps.cipher, previous, path: connectionPropertiesPath },
      sealIssues,
    );
    if (properties !== undefined && JSON.stringify(properties).length > storeLimits.specChars) {
      sealIssues.add(
        'TooLarge',
        connectionPropertiesPath,
        `The connection is larger than ${storeLimits.specChars} characters.`,
      );
    }
    if (properties === undefined || !sealIssues.ok)
      throw apiErrors.validation(sealIssues.list, 'connection template');
    const now = deps.clock().toISOString();
    const record: TemplateRecord = {
      name: existing?.name ?? name,
      spec: { selector: draft.selector, connection: { name: draft.connection.name, properties } },
      revision: deps.newId(),
      createdAt: existing?.createdAt ?? now,
      lastModifiedAt: now,
    };
    const saved = await deps.store.templates.save(
      record,
      existing === undefined ? { absent: true } : existing,
    );
    if (!saved.ok) continue;
    call.logger.info('template saved', { template: record.name });
    return respond(existing === undefined ? 201 : 200, templateView(record), {
      ETag: formatEtag(record.revision),
    });
  }
  return raced();
}

export async function getTemplate(
  request: ApiRequest,
  _call: CallContext,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const name = routeName(request);
  const record = await deps.store.templates.get(name);
  if (record === undefined) throw apiErrors.notFound('connection template', name);
  return respond(200, templateView(record), { ETag: formatEtag(record.revision) });
}

export async function listTemplates(
  _request: ApiRequest,
  _call: CallContext,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const records = await deps.store.templates.list();
  return respond(200, { value: records.map(templateView) });
}

export async function deleteTemplate(
  request: ApiRequest,
  call: CallContext,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const name = routeName(request);
  const preconditions = readPreconditions(request.headers);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const existing = await deps.store.templates.get(name);
    checkPreconditions(preconditions, existing?.revision, `template '${name}'`);
    if (existing === undefined) return respond(204);
    const removed = await deps.store.templates.remove(name, existing.storeEtag);
    if (removed === 'conflict') continue;
    call.logger.info('template deleted', { template: existing.name });
    return respond(removed === 'removed' ? 200 : 204);
  }
  return raced();
}
