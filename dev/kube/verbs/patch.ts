import { load, JSON_SCHEMA } from 'js-yaml';
import { fe } from '../api/field-errors.js';
import { apiVersionOf, groupResource, type ResourceType } from '../api/resource-type.js';
import { errors } from '../api/status.js';
import { child, isObject, obj, str, type Json, type JsonObject } from '../core/json.js';
import { nameOf } from '../core/meta.js';
import type { ClusterCore, WriteOptions } from '../cluster/core.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic.js';
import { serverSideApply } from '../ssa/apply.js';
import { createObject } from './create.js';
import { optionErrors } from './request-checks.js';
import { commitUpdate, withRetries } from './update.js';

export const patchTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export interface PatchRequest {
  readonly type: ResourceType;
  readonly subresource: '' | 'status';
  readonly namespace: string;
  readonly name: string;
  readonly contentType: string;
  readonly rawBody: string;
  readonly options: WriteOptions;
  readonly force?: boolean;
  readonly dryRunValues?: readonly string[];
}

function acceptedTypes(type: ResourceType): string[] {
  return type.builtIn
    ? [patchTypes.json, patchTypes.merge, patchTypes.strategic, patchTypes.apply]
    : [patchTypes.json, patchTypes.merge, patchTypes.apply];
}

function parseBody(raw: string, apply: boolean): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch (jsonError) {
    if (!apply) throw errors.badRequest(`error decoding patch: ${(jsonError as Error).message}`);
  }
  try {
    return load(raw, { schema: JSON_SCHEMA }) as Json;
  } catch (yamlError) {
    throw errors.badRequest(`error decoding YAML: ${(yamlError as Error).message}`);
  }
}

function gvkString(type: ResourceType): string {
  return `${type.group}/${type.version}, Kind=${type.kind}`;
}

/** The applied configuration must be an object of this endpoint's kind and name. */
function checkApplyConfig(type: ResourceType, config: Json, name: string): JsonObject {
  if (!isObject(config)) throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(config)}'`);
  if (str(config.kind) === undefined)
    throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(config)}'`);
  if (str(config.apiVersion) !== apiVersionOf(type) || config.kind !== type.kind) {
    throw errors.badRequest(
      `the API version in the data (${str(config.apiVersion) ?? ''}) does not match the expected API version (${apiVersionOf(type)})`,
    );
  }
  const configName = nameOf(config);
  if (configName !== name) {
    throw errors.badRequest(
      `the name of the object (${configName}) does not match the name on the URL (${name})`,
    );
  }
  return config;
}

/**
 * PATCH with the four patch types. Strategic merge patch is refused (415) on custom resources;
 * apply requires a field manager (422 on PatchOptions) and creates the object when absent.
 */
export async function patchObject(
  core: ClusterCore,
  req: PatchRequest,
): Promise<{ object: JsonObject; created: boolean }> {
  const { type, namespace, name, options } = req;
  const contentType = req.contentType.split(';')[0]?.trim() ?? '';
  const accepted = acceptedTypes(type);
  if (!accepted.includes(contentType)) throw errors.unsupportedMediaType(accepted);
  const apply = contentType === patchTypes.apply;
  const optionErrs = [
    ...(!apply && req.force !== undefined
      ? [fe.forbidden('force', 'may not be specified for non-apply patch')]
      : []),
    ...(apply && (options.fieldManager ?? '') === ''
      ? [fe.required('fieldManager', 'is required for apply patch')]
      : []),
    ...optionErrors(options, req.dryRunValues ?? (options.dryRun ? ['All'] : [])),
  ];
  if (optionErrs.length > 0) throw errors.invalid('meta.k8s.io', 'PatchOptions', '', optionErrs);
  const body = parseBody(req.rawBody, apply);
  const ns = type.namespaced ? namespace : '';
  const operationOptions: JsonObject = {
    kind: 'PatchOptions',
    apiVersion: 'meta.k8s.io/v1',
    ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
    ...(req.force === true ? { force: true } : {}),
  };
  const applyRequest = {
    manager: options.fieldManager ?? '',
    apiVersion: apiVersionOf(type),
    force: req.force === true,
    hasStatus: type.subresources.includes('status'),
    schema: type.schema,
    now: core.now(),
    gvk: gvkString(type),
    ...(req.subresource === 'status' ? { subresource: 'status' } : {}),
  };

  return await withRetries(async () => {
    const existing = core.store.get(type, ns, name);
    if (existing === undefined) {
      if (!apply || req.subresource !== '') throw errors.notFound(groupResource(type), name);
      const config = checkApplyConfig(type, body, name);
      const created = serverSideApply(undefined, structuredClone(config), applyRequest);
      return {
        object: await createObject(core, {
          type,
          namespace,
          body: created,
          options,
          managedFieldsReady: true,
        }),
        created: true,
      };
    }
    let updated: Json;
    const base: JsonObject = structuredClone(existing);
    switch (contentType) {
      case patchTypes.json:
        updated = applyJsonPatch(base, body);
        break;
      case patchTypes.merge:
        updated = applyMergePatch(base, body);
        break;
      case patchTypes.strategic:
        updated = applyStrategicMergePatch(base, body, type.schema);
        break;
      default: {
        const config = structuredClone(checkApplyConfig(type, body, name));
        updated = serverSideApply(existing, config, applyRequest);
      }
    }
    if (!isObject(updated)) throw errors.badRequest('the patched object is not an object');
    const meta = child(updated, 'metadata');
    // A patch that does not name a resourceVersion is unconditional: it applies to the latest.
    if (obj(isObject(body) ? body.metadata : undefined)?.resourceVersion === undefined) {
      meta.resourceVersion = str(obj(existing.metadata)?.resourceVersion) ?? '';
    }
    if (nameOf(updated) !== name) {
      throw errors.badRequest(
        `the name of the object (${nameOf(updated)}) does not match the name on the URL (${name})`,
      );
    }
    if (req.subresource === '') type.defaults?.(updated, core.context);
    const object = await commitUpdate(core, {
      type,
      subresource: req.subresource,
      existing,
      updated,
      options,
      operationOptions,
      trackFields: !apply,
    });
    return { object, created: false };
  });
}
