/**
 * The connections API as the demo calls it: plain fetch to the local host with the function key in
 * `x-functions-key`, exactly the requests docs/api.md shows with curl. The key is sent, never
 * printed; errors carry the status and ARM-style error code, not the body.
 */

export const apiVersion = '2024-04-01';

export interface LinkerStep {
  readonly name: string;
  readonly result: string;
  readonly reasonCode?: string;
  readonly message?: string;
}

export interface Linker {
  readonly id: string;
  readonly name: string;
  readonly properties: {
    readonly provisioningState?: string;
    readonly status?: readonly LinkerStep[];
    readonly kubernetesResourceName?: string;
    readonly kubernetesServiceAccountName?: string;
    readonly scope?: string;
    readonly [key: string]: unknown;
  };
}

export interface PutAnswer<T> {
  readonly status: number;
  readonly body: T;
  /** The Azure-AsyncOperation header (linkers only). */
  readonly operationUrl: string | undefined;
}

export interface OperationStatus {
  readonly status: string;
  readonly error?: { readonly code?: string; readonly message?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    what: string,
  ) {
    super(`${what}: HTTP ${status}${code === undefined ? '' : ` ${code}`}`);
    this.name = 'ApiError';
  }
}

export interface ConnectionsApi {
  /** `<host>/api` + path, as printed in the narration (no key in it). */
  url(path: string): string;
  linkerPath(clusterId: string, name?: string): string;
  putLinker(clusterId: string, name: string, body: unknown): Promise<PutAnswer<Linker>>;
  getLinker(clusterId: string, name: string): Promise<Linker | undefined>;
  listLinkers(clusterId: string): Promise<Linker[]>;
  putTemplate(name: string, body: unknown): Promise<PutAnswer<unknown>>;
  operation(url: string): Promise<OperationStatus>;
}

export function connectionsApi(
  hostUrl: string,
  functionKey: string,
  signal: AbortSignal | undefined,
): ConnectionsApi {
  const base = `${hostUrl.replace(/\/+$/, '')}/api`;
  const call = async (method: string, url: string, body?: unknown): Promise<Response> =>
    await fetch(url, {
      method,
      headers: {
        'x-functions-key': functionKey,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
    });
  const failure = async (response: Response, what: string): Promise<ApiError> => {
    const text = await response.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    return new ApiError(response.status, code, what);
  };
  const withVersion = (path: string) => `${base}${path}?api-version=${apiVersion}`;
  const linkerPath = (clusterId: string, name?: string) =>
    `${clusterId}/providers/Microsoft.ServiceLinker/linkers${name === undefined ? '' : `/${name}`}`;
  const put = async <T>(path: string, body: unknown, what: string): Promise<PutAnswer<T>> => {
    const response = await call('PUT', withVersion(path), body);
    if (response.status !== 200 && response.status !== 201) throw await failure(response, what);
    return {
      status: response.status,
      body: (await response.json()) as T,
      operationUrl: response.headers.get('azure-asyncoperation') ?? undefined,
    };
  };
  return {
    url: (path) => `${base}${path}`,
    linkerPath,
    putLinker: (clusterId, name, body) =>
      put<Linker>(linkerPath(clusterId, name), body, `PUT linker ${name}`),
    async getLinker(clusterId, name) {
      const response = await call('GET', withVersion(linkerPath(clusterId, name)));
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw await failure(response, `GET linker ${name}`);
      return (await response.json()) as Linker;
    },
    async listLinkers(clusterId) {
      const response = await call('GET', withVersion(linkerPath(clusterId)));
      if (response.status !== 200) throw await failure(response, 'GET linkers');
      return ((await response.json()) as { value: Linker[] }).value;
    },
    putTemplate: (name, body) => put(`/connectionTemplates/${name}`, body, `PUT connection template ${name}`),
    async operation(url) {
      // The operation URL carries no key: it is sent as a header, as the Azure SDK pollers do.
      const response = await call('GET', url);
      if (response.status !== 200) throw await failure(response, 'GET operation status');
      return (await response.json()) as OperationStatus;
    },
  };
}
