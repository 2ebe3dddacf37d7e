/**
 * KubePort over client-node 2.x's `KubernetesObjectApi` (discovery-driven URLs, any kind, custom
 * resources included) for one cluster's kubeconfig.
 *
 * Shapes: `KubernetesObjectApi` would deserialize built-in kinds into client-node's model classes
 * (Dates, renamed fields such as `_continue`, unknown fields dropped) and custom resource lists into
 * a shape that loses `metadata.continue`. This port answers with the API server's JSON instead, by
 * overriding the class's protected `processResponse`, so callers compare strings with strings and
 * every list pages. Built-in list items come without apiVersion/kind (as the API server sends
 * them); this port fills them in. Request bodies still go through client-node's serializer, which
 * keeps only the fields its models know for built-in kinds (all the fields we write).
 *
 * Kinds the cluster does not serve (a CRD that is not installed): `get` is undefined, `list` is
 * empty, `delete` is 'absent' (nothing of that kind can exist) and `apply` is a TerminalError.
 */
import {
  ApiException,
  createConfiguration,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
  ServerConfiguration,
} from '@kubernetes/client-node';
import { classifyKubeFailure } from '../errors/index.js';
import { FIELD_MANAGER } from '../reconcile/kube/manifests.js';
import { classifyKubeError } from './kube-errors.js';
import type { KubeListOptions, KubeObject, KubePort, KubeRef } from './ports.js';

export interface ObjectApiPortOptions {
  /** `limit` of each list request. */
  readonly pageSize: number;
  /** Per request; an API server that does not answer in time counts as unreachable. */
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
}

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** The abort reason of a request that got no answer in time (see `timeoutSignal`). */
export class KubeRequestTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Like AbortSignal.timeout, but aborting with a plain Error: client-node's discovery prefixes the
 * message of whatever it caught, and a DOMException's message cannot be set, which would replace
 * the timeout by a TypeError.
 */
function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new KubeRequestTimeout(ms)), ms).unref();
  return controller.signal;
}

/** KubernetesObjectApi answering with the API server's JSON, and discovery made visible. */
class JsonObjectApi extends KubernetesObjectApi {
  constructor(configuration: ConstructorParameters<typeof KubernetesObjectApi>[0], kc: KubeConfig) {
    super(configuration);
    this.setDefaultNamespace(kc);
  }

  /**
   * Whether the cluster serves the kind (discovery, cached per apiVersion by client-node). A 404 on
   * `/apis/<group>/<version>` means the group version is not served at all.
   */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return (await this.resource(apiVersion, kind)) !== undefined;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  protected override async processResponse<T extends KubernetesObject>(
    response: ResponseContext,
  ): Promise<T> {
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
      const text = await response.body.text();
      return (text === '' ? {} : JSON.parse(text)) as T;
    }
    // As client-node does: the raw body text, parsed into a Status by classifyKubeError.
    throw new ApiException(
      response.httpStatusCode,
      'Unsuccessful HTTP Request',
      await response.getBodyAsAny(),
      response.headers,
    );
  }
}

function asObject(json: Record<string, unknown>, apiVersion: string, kind: string): KubeObject {
  return {
    ...json,
    apiVersion: typeof json['apiVersion'] === 'string' ? json['apiVersion'] : apiVersion,
    kind: typeof json['kind'] === 'string' ? json['kind'] : kind,
    metadata: (json['metadata'] ?? {}) as KubeObject['metadata'],
  };
}

/** `Secret ns/name (v1)`, for error targets. */
function describe(ref: { apiVersion: string; kind: string; name?: string; namespace?: string }): string {
  const path = [ref.namespace, ref.name].filter((part) => part !== undefined && part !== '').join('/');
  return `${ref.kind}${path === '' ? '' : ` ${path}`} (${ref.apiVersion})`;
}

function header(ref: KubeRef): KubernetesObject & { metadata: { name: string } } {
  const metadata = { name: ref.name, ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }) };
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata };
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

export class ObjectApiPort implements KubePort {
  private readonly api: JsonObjectApi;
  /** client-node builds a new connection pool for every request; the first one is kept and reused. */
  private dispatcher: Dispatcher | undefined;
  private closed = false;

  constructor(
    kc: KubeConfig,
    server: string,
    private readonly options: ObjectApiPortOptions,
  ) {
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration<Record<string, string>>(server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [
        {
          pre: (context) => Promise.resolve(this.prepare(context)),
          post: (response) => Promise.resolve(response),
        },
      ],
    });
    this.api = new JsonObjectApi(configuration, kc);
  }

  private prepare(context: RequestContext): RequestContext {
    context.setHeaderParam('User-Agent', this.options.userAgent);
    context.setSignal(timeoutSignal(this.options.requestTimeoutMs));
    const created = context.getDispatcher();
    if (created !== undefined && !this.closed) {
      this.dispatcher ??= created;
      context.setDispatcher(this.dispatcher);
    }
    return context;
  }

  /** Lets the pooled connections go once requests in flight are done (the cache replaced this port). */
  close(): void {
    this.closed = true;
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    dispatcher?.close().catch(() => undefined);
  }

  async get(ref: KubeRef): Promise<KubeObject | undefined> {
    try {
      if (!(await this.api.serves(ref.apiVersion, ref.kind))) return undefined;
      const found = await this.api.read<KubernetesObject>(header(ref));
      return asObject(found as Record<string, unknown>, ref.apiVersion, ref.kind);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw classifyKubeError(error, describe(ref));
    }
  }

  async list(apiVersion: string, kind: string, options: KubeListOptions = {}): Promise<KubeObject[]> {
    try {
      if (!(await this.api.serves(apiVersion, kind))) return [];
      const items: KubeObject[] = [];
      let token: string | undefined;
      do {
        const page = await this.api.list(
          apiVersion,
          kind,
          options.namespace,
          undefined,
          undefined,
          undefined,
          options.fieldSelector,
          options.labelSelector,
          this.options.pageSize,
          token,
        );
        const pageItems = (page.items ?? []) as unknown as Record<string, unknown>[];
        items.push(...pageItems.map((item) => asObject(item, apiVersion, kind)));
        // The API server's JSON: `continue`, not client-node's model name `_continue`.
        const next = (page.metadata as { continue?: unknown } | undefined)?.continue;
        token = typeof next === 'string' && next !== '' ? next : undefined;
      } while (token !== undefined);
      return items;
    } catch (error) {
      if (isNotFound(error)) return [];
      throw classifyKubeError(error, describe({ apiVersion, kind, ...options }));
    }
  }

  async apply(object: KubeObject, options: { readonly force?: boolean } = {}): Promise<KubeObject> {
    const { apiVersion, kind } = object;
    const target = describe({ apiVersion, kind, ...object.metadata });
    // Applying managedFields would be taken literally; the rest is the caller's configuration.
    const { managedFields: _ignored, ...metadata } = object.metadata;
    const body = structuredClone({ ...object, metadata }) as KubernetesObject;
    try {
      if (!(await this.api.serves(apiVersion, kind))) {
        throw classifyKubeFailure({
          status: 404,
          reason: 'NotFound',
          message: `The cluster does not serve ${kind} in ${apiVersion} (is its CustomResourceDefinition installed?)`,
          target,
        });
      }
      const applied = await this.api.patch(
        body,
        undefined,
        undefined,
        FIELD_MANAGER,
        options.force === true ? true : undefined,
        PatchStrategy.ServerSideApply,
      );
      return asObject(applied as Record<string, unknown>, apiVersion, kind);
    } catch (error) {
      throw classifyKubeError(error, target);
    }
  }

  /** 'deleted' once the API server accepted the deletion (finalizers may still hold the object). */
  async delete(ref: KubeRef): Promise<'deleted' | 'absent'> {
    try {
      if (!(await this.api.serves(ref.apiVersion, ref.kind))) return 'absent';
      await this.api.delete(header(ref));
      return 'deleted';
    } catch (error) {
      if (isNotFound(error)) return 'absent';
      throw classifyKubeError(error, describe(ref));
    }
  }
}
