import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../admission/attributes.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from '../api/discovery.js';
import type { ResourceType } from '../api/resource-type.js';
import { KubeError, errors } from '../api/status.js';
import { isObject, obj, str, type Json, type JsonObject } from '../core/json.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import type { DeleteOptionsInput, WriteOptions } from '../cluster/core.js';
import type { EmulatedCluster } from '../cluster/emulated-cluster.js';
import { deleteObject } from '../verbs/delete.js';
import { patchObject } from '../verbs/patch.js';
import { createObject } from '../verbs/create.js';
import { getObject, listObjects, scaleOf } from '../verbs/read.js';
import { updateObject } from '../verbs/update.js';
import { parseJsonBody, readBody, sendError, sendJson, sendText } from './io.js';
import { resolveRequestInfo, type ResourceRequest } from './request-info.js';
import { serveWatch } from './watch.js';

function authenticate(cluster: EmulatedCluster, req: IncomingMessage): UserInfo | undefined {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  const groups = ['system:masters', 'system:authenticated'];
  if (token === cluster.adminToken) return { username: 'clusterAdmin', groups };
  if (token === cluster.userToken) return { username: 'clusterUser', groups };
  return undefined;
}

function writeOptions(
  url: URL,
  user: UserInfo,
  req: IncomingMessage,
): { options: WriteOptions; dryRun: string[] } {
  const dryRun = url.searchParams.getAll('dryRun');
  const fieldManager = url.searchParams.get('fieldManager') ?? undefined;
  const options: WriteOptions = {
    dryRun: dryRun.includes('All'),
    user,
    ...(fieldManager === undefined ? {} : { fieldManager }),
    ...(req.headers['user-agent'] === undefined ? {} : { userAgent: req.headers['user-agent'] }),
  };
  return { options, dryRun };
}

function deleteOptions(url: URL, body: Json | undefined, base: WriteOptions): DeleteOptionsInput {
  const b = isObject(body) ? body : {};
  const pre = obj(b.preconditions);
  const orphan = b.orphanDependents ?? url.searchParams.get('orphanDependents');
  const policy =
    str(b.propagationPolicy) ??
    url.searchParams.get('propagationPolicy') ??
    (orphan === true || orphan === 'true' ? 'Orphan' : undefined);
  const dryRun = Array.isArray(b.dryRun) ? b.dryRun.includes('All') : base.dryRun;
  return {
    ...base,
    dryRun,
    ...(policy === undefined ? {} : { propagationPolicy: policy }),
    ...(pre === undefined
      ? {}
      : {
          preconditions: {
            ...(str(pre.uid) ? { uid: str(pre.uid) } : {}),
            ...(str(pre.resourceVersion) ? { resourceVersion: str(pre.resourceVersion) } : {}),
          },
        }),
  };
}

function resolveType(cluster: EmulatedCluster, info: ResourceRequest): ResourceType {
  const type = cluster.registry.find(info.group, info.version, info.resource);
  if (type === undefined) throw errors.resourceNotFound();
  if (info.namespacedPath && !type.namespaced) throw errors.resourceNotFound();
  if (info.subresource !== '' && !type.subresources.includes(info.subresource as 'status' | 'scale'))
    throw errors.resourceNotFound();
  return type;
}

async function serveResource(
  cluster: EmulatedCluster,
  info: ResourceRequest,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  user: UserInfo,
): Promise<void> {
  const type = resolveType(cluster, info);
  const method = req.method ?? 'GET';
  const { options, dryRun } = writeOptions(url, user, req);
  const ns = info.namespace;
  const name = info.name;
  const needsNamespace = type.namespaced && !info.namespacedPath;
  if (name === '') {
    if (method === 'GET') {
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
        const timeout = url.searchParams.get('timeoutSeconds');
        serveWatch(
          cluster,
          type,
          {
            namespace: ns,
            resourceVersion: url.searchParams.get('resourceVersion') ?? '',
            labelSelector: url.searchParams.get('labelSelector') ?? '',
            fieldSelector: url.searchParams.get('fieldSelector') ?? '',
            ...(timeout === null ? {} : { timeoutSeconds: Number(timeout) }),
          },
          req,
          res,
        );
        return;
      }
      const limit = url.searchParams.get('limit');
      sendJson(
        res,
        200,
        listObjects(cluster, type, ns, {
          ...(url.searchParams.get('labelSelector')
            ? { labelSelector: url.searchParams.get('labelSelector') ?? '' }
            : {}),
          ...(url.searchParams.get('fieldSelector')
            ? { fieldSelector: url.searchParams.get('fieldSelector') ?? '' }
            : {}),
          ...(limit ? { limit: Number(limit) } : {}),
          ...(url.searchParams.get('continue')
            ? { continueToken: url.searchParams.get('continue') ?? '' }
            : {}),
        }),
      );
      return;
    }
    if (needsNamespace) throw errors.resourceNotFound();
    if (method === 'POST') {
      const body = parseJsonBody(await readBody(req));
      sendJson(
        res,
        201,
        await createObject(cluster, { type, namespace: ns, body, options, dryRunValues: dryRun }),
      );
      return;
    }
    if (method === 'DELETE') {
      const query = url.searchParams.get('labelSelector') ?? '';
      const items = listObjects(cluster, type, ns, query === '' ? {} : { labelSelector: query }).items;
      for (const item of Array.isArray(items) ? items : []) {
        if (!isObject(item)) continue;
        await deleteObject(cluster, {
          type,
          namespace: ns,
          name: str(obj(item.metadata)?.name) ?? '',
          options,
        });
      }
      sendJson(res, 200, {
        kind: type.listKind,
        apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`,
        metadata: {},
        items: items ?? [],
      });
      return;
    }
    throw errors.methodNotSupported({ group: type.group, resource: type.resource }, method.toLowerCase());
  }
  if (needsNamespace) throw errors.resourceNotFound();
  const sub = info.subresource;
  if (sub === 'scale') {
    await serveScale(cluster, type, ns, name, method, req, res, options);
    return;
  }
  const subresource = sub === 'status' ? 'status' : '';
  switch (method) {
    case 'GET':
      sendJson(res, 200, getObject(cluster, type, ns, name));
      return;
    case 'PUT': {
      const body = parseJsonBody(await readBody(req));
      const out = await updateObject(cluster, {
        type,
        subresource,
        namespace: ns,
        name,
        body,
        options,
        dryRunValues: dryRun,
      });
      sendJson(res, out.created ? 201 : 200, out.object);
      return;
    }
    case 'PATCH': {
      const force = url.searchParams.get('force');
      const out = await patchObject(cluster, {
        type,
        subresource,
        namespace: ns,
        name,
        contentType: req.headers['content-type'] ?? '',
        rawBody: await readBody(req),
        options,
        dryRunValues: dryRun,
        ...(force === null ? {} : { force: force === 'true' }),
      });
      sendJson(res, out.created ? 201 : 200, out.object);
      return;
    }
    case 'DELETE': {
      if (subresource !== '')
        throw errors.methodNotSupported({ group: type.group, resource: `${type.resource}/${sub}` }, 'delete');
      const body = parseJsonBody(await readBody(req));
      const out = await deleteObject(cluster, {
        type,
        namespace: ns,
        name,
        options: deleteOptions(url, body, options),
      });
      sendJson(res, out.code, out.body);
      return;
    }
    default:
      throw errors.methodNotSupported({ group: type.group, resource: type.resource }, method.toLowerCase());
  }
}

async function serveScale(
  cluster: EmulatedCluster,
  type: ResourceType,
  ns: string,
  name: string,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: WriteOptions,
): Promise<void> {
  const current = getObject(cluster, type, ns, name);
  if (method === 'GET') {
    sendJson(res, 200, scaleOf(type, current));
    return;
  }
  const raw = await readBody(req);
  let replicas: Json | undefined;
  if (method === 'PUT') replicas = obj(obj(parseJsonBody(raw))?.spec)?.replicas;
  else if (method === 'PATCH') {
    const scale = scaleOf(type, current);
    const patched = patchScale(scale, req.headers['content-type'] ?? '', raw);
    replicas = obj(patched.spec)?.replicas;
  } else
    throw errors.methodNotSupported(
      { group: type.group, resource: `${type.resource}/scale` },
      method.toLowerCase(),
    );
  const out = await patchObject(cluster, {
    type,
    subresource: '',
    namespace: ns,
    name,
    contentType: 'application/merge-patch+json',
    rawBody: JSON.stringify({ spec: { replicas: replicas ?? null } }),
    options,
  });
  sendJson(res, 200, scaleOf(type, out.object));
}

function patchScale(scale: JsonObject, contentType: string, raw: string): JsonObject {
  const body = parseJsonBody(raw) ?? null;
  const patched = contentType.startsWith('application/json-patch+json')
    ? applyJsonPatch(scale, body)
    : applyMergePatch(scale, body);
  if (!isObject(patched)) throw errors.badRequest('the patched scale is not an object');
  return patched;
}

/** One request below `/clusters/<id>`: authentication, injected faults, discovery, resources. */
export async function handleClusterRequest(
  cluster: EmulatedCluster,
  subpath: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  serverAddress: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  let status = 200;
  let username = 'system:anonymous';
  try {
    const info = resolveRequestInfo(subpath);
    if (info.kind === 'oidc') {
      sendJson(res, 200, info.document === 'discovery' ? cluster.oidc.discovery() : cluster.oidc.jwks());
      return;
    }
    const user = authenticate(cluster, req);
    if (user === undefined) throw errors.unauthorized();
    username = user.username;
    const fault = cluster.faults.take(method, subpath);
    if (fault === 'disconnect') {
      req.socket.destroy();
      return;
    }
    if (fault !== undefined) throw fault;
    switch (info.kind) {
      case 'health':
        sendText(res, 200, 'ok');
        return;
      case 'version':
        sendJson(res, 200, versionInfo(cluster.kubernetesVersion));
        return;
      case 'api':
        sendJson(res, 200, apiVersions(serverAddress));
        return;
      case 'apis':
        sendJson(res, 200, apiGroupList(cluster.registry));
        return;
      case 'group': {
        const g = apiGroup(cluster.registry, info.group);
        if (g === undefined) throw errors.resourceNotFound();
        sendJson(res, 200, g);
        return;
      }
      case 'groupVersion':
        if (!cluster.registry.servesGroupVersion(info.group, info.version)) throw errors.resourceNotFound();
        sendJson(res, 200, apiResourceList(cluster.registry, info.group, info.version));
        return;
      case 'resource':
        await serveResource(cluster, info, req, res, url, user);
        return;
      case 'unknown':
        throw errors.resourceNotFound();
    }
  } catch (e) {
    const err = e instanceof KubeError ? e : errors.internal((e as Error).message);
    status = err.code;
    if (!(e instanceof KubeError)) console.error('kube emulator internal error:', e);
    if (!res.headersSent) sendError(res, err);
  } finally {
    cluster.requests.push({ method, path: subpath, status: res.statusCode || status, user: username });
  }
}
