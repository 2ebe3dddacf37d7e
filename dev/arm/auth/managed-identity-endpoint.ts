/**
 * The App Service / Azure Functions managed identity endpoint (`IDENTITY_ENDPOINT` +
 * `IDENTITY_HEADER`, protocol version 2019-08-01). Functions hosts serve it over plain HTTP on
 * loopback; `DefaultAzureCredential` (through MSAL's AppService source) sends
 * `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=...` with `X-IDENTITY-HEADER` and expects
 * `{ access_token, expires_on, resource, token_type, client_id }`.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenSigner } from './jwt.js';
import type { Principal, PrincipalDirectory } from './principals.js';
import { issueToken } from './tokens.js';

export interface ManagedIdentityEndpoint {
  /** Value for `IDENTITY_ENDPOINT`. */
  readonly endpoint: string;
  /** Value for `IDENTITY_HEADER`. */
  readonly header: string;
  /** How many tokens were issued (tests assert the credential really came here). */
  readonly issued: () => number;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function startManagedIdentityEndpoint(options: {
  signer: TokenSigner;
  directory: PrincipalDirectory;
  tenantId: string;
  /** The app's system-assigned identity. */
  systemAssigned: Principal;
  port?: number;
}): Promise<ManagedIdentityEndpoint> {
  const header = randomBytes(16).toString('hex');
  let issued = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/msi/token') {
      send(res, 404, { statusCode: 404, message: 'Not found' });
      return;
    }
    if (req.headers['x-identity-header'] !== header) {
      send(res, 401, { statusCode: 401, message: 'The X-IDENTITY-HEADER header is missing or invalid.' });
      return;
    }
    const resource = url.searchParams.get('resource');
    if (url.searchParams.get('api-version') !== '2019-08-01' || resource === null || resource === '') {
      send(res, 400, {
        statusCode: 400,
        message: "The request must carry api-version '2019-08-01' and a 'resource'.",
      });
      return;
    }
    const clientId = url.searchParams.get('client_id');
    const objectId = url.searchParams.get('object_id') ?? url.searchParams.get('principal_id');
    const resourceId = url.searchParams.get('mi_res_id');
    let principal: Principal | undefined = options.systemAssigned;
    if (clientId !== null) principal = options.directory.byClientId(clientId);
    else if (objectId !== null) principal = options.directory.get(objectId);
    else if (resourceId !== null) principal = options.directory.byResourceId(resourceId);
    if (principal === undefined) {
      send(res, 400, {
        statusCode: 400,
        message: 'No managed identity found for the specified ClientId/ResourceId/PrincipalId.',
      });
      return;
    }
    const { token, expiresOn } = issueToken(options.signer, principal, options.tenantId, resource);
    issued += 1;
    send(res, 200, {
      access_token: token,
      expires_on: String(expiresOn),
      resource,
      token_type: 'Bearer',
      client_id: principal.clientId,
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/msi/token`,
    header,
    issued: () => issued,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
