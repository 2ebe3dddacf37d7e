import { describe, expect, it } from 'vitest';
import { ApiError, apiErrors } from '../../shared/model/arm-error.js';
import {
  baseUrl,
  operationUrl,
  readJsonBody,
  requireApiVersion,
  type ApiRequest,
} from '../../shared/model/api/http.js';
import { checkPreconditions, readPreconditions } from '../../shared/model/api/preconditions.js';
import { commonTarget, childPath } from '../../shared/model/validation/issues.js';

function thrown(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

async function rejected(run: () => Promise<unknown>): Promise<ApiError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

function request(body: string | Uint8Array, headers: Record<string, string> = {}): ApiRequest {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const h = new Headers(headers);
  return {
    method: 'PUT',
    url: 'http://localhost:7071/api/x',
    headers: h,
    query: new URLSearchParams(),
    params: {},
    arrayBuffer: () =>
      Promise.resolve(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      ),
  };
}

describe('api-version', () => {
  it.each([
    ['missing', '', 'MissingApiVersionParameter', /required for all requests/],
    [
      'another version',
      'api-version=2023-04-01-preview',
      'InvalidApiVersionParameter',
      /'2023-04-01-preview' is invalid\. The supported versions are '2024-04-01'/,
    ],
  ])('%s is 400 with ARM code and wording', (_name, query, code, message) => {
    const error = thrown(() => requireApiVersion(new URLSearchParams(query)));
    expect(error.status).toBe(400);
    expect(error.body.error.code).toBe(code);
    expect(error.body.error.message).toMatch(message);
  });

  it('2024-04-01 passes', () => {
    expect(() => requireApiVersion(new URLSearchParams('api-version=2024-04-01'))).not.toThrow();
  });
});

describe('request bodies', () => {
  it('parses JSON', async () => {
    await expect(
      readJsonBody(request('{"a":1}', { 'content-type': 'application/json; charset=utf-8' })),
    ).resolves.toEqual({ a: 1 });
  });

  it.each([
    [
      'a declared length over 1 MiB',
      request('{}', { 'content-length': String(1024 * 1024 + 1) }),
      413,
      'RequestEntityTooLarge',
    ],
    [
      'an actual body over 1 MiB',
      request(`{"a":"${'x'.repeat(1024 * 1024)}"}`),
      413,
      'RequestEntityTooLarge',
    ],
    ['an empty body', request(''), 400, 'InvalidRequestContent'],
    ['text that is not JSON', request('properties='), 400, 'InvalidRequestContent'],
    ['bytes that are not UTF-8', request(new Uint8Array([0x7b, 0xff, 0x7d])), 400, 'InvalidRequestContent'],
    [
      'a form content type',
      request('{}', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UnsupportedMediaType',
    ],
  ])('refuses %s', async (_name, req, status, code) => {
    const error = await rejected(() => readJsonBody(req));
    expect(error.status).toBe(status);
    expect(error.body.error.code).toBe(code);
  });

  it('never quotes the body in a parse error (it may hold a secret)', async () => {
    const error = await rejected(() => readJsonBody(request('{"secret": "hunter2"')));
    expect(JSON.stringify(error.body)).not.toContain('hunter2');
  });
});

describe('preconditions', () => {
  const headers = (h: Record<string, string>) => readPreconditions(new Headers(h));
  const rows: [string, Record<string, string>, string | undefined, boolean][] = [
    ['no conditions on an existing resource', {}, 'r1', true],
    ['If-Match with the current ETag', { 'if-match': '"r1"' }, 'r1', true],
    ['If-Match with the ETag unquoted', { 'if-match': 'r1' }, 'r1', true],
    ['If-Match with one of several ETags', { 'if-match': '"r0", "r1"' }, 'r1', true],
    ['If-Match with a stale ETag', { 'if-match': '"r0"' }, 'r1', false],
    ['If-Match * on an existing resource', { 'if-match': '*' }, 'r1', true],
    ['If-Match * on a missing resource', { 'if-match': '*' }, undefined, false],
    ['If-Match with an ETag on a missing resource', { 'if-match': '"r1"' }, undefined, false],
    ['If-None-Match * on a missing resource (create only)', { 'if-none-match': '*' }, undefined, true],
    ['If-None-Match * on an existing resource', { 'if-none-match': '*' }, 'r1', false],
    ['If-None-Match with another ETag', { 'if-none-match': '"r0"' }, 'r1', true],
    ['If-None-Match with the current ETag', { 'if-none-match': '"r1"' }, 'r1', false],
  ];

  it.each(rows)('%s passes: %s', (_name, h, revision, passes) => {
    const run = () => checkPreconditions(headers(h), revision, "linker 'a'");
    if (passes) expect(run).not.toThrow();
    else expect(thrown(run)).toMatchObject({ status: 412, body: { error: { code: 'PreconditionFailed' } } });
  });
});

describe('the ARM error envelope', () => {
  it('reports one problem as the error itself, with its target and as the only detail', () => {
    const error = apiErrors.validation(
      [{ code: 'InvalidValue', target: 'properties.scope', message: 'bad scope' }],
      'linker',
    );
    expect(error.status).toBe(400);
    expect(error.body).toEqual({
      error: {
        code: 'BadRequest',
        message: 'bad scope',
        target: 'properties.scope',
        details: [{ code: 'InvalidValue', message: 'bad scope', target: 'properties.scope' }],
      },
    });
  });

  it('reports several problems together, targeting what they share', () => {
    const error = apiErrors.validation(
      [
        { code: 'InvalidValue', target: 'properties.authInfo.clientId', message: 'a' },
        { code: 'MissingProperty', target: 'properties.authInfo.subscriptionId', message: 'b' },
      ],
      'linker',
    );
    expect(error.body.error).toMatchObject({
      message: 'The linker has 2 problems; see details.',
      target: 'properties.authInfo',
    });
    expect(error.body.error.details).toHaveLength(2);
  });

  it.each([
    [['properties.a.b', 'properties.a.c'], 'properties.a'],
    [['properties.x[0]', 'properties.x[1]'], 'properties.x'],
    [['properties.ab', 'properties.a'], 'properties'],
    [['resourceUri', 'linkerName'], ''],
  ])('the common target of %j is %j', (targets, expected) => {
    expect(commonTarget(targets)).toBe(expected);
  });

  it('quotes property names that are not identifiers', () => {
    expect(childPath('a', 'my-key')).toBe("a['my-key']");
    expect(childPath('', 'properties')).toBe('properties');
  });
});

describe('operation links', () => {
  it.each([
    ['the public base URL when set', 'https://connector.example.com', 'https://connector.example.com'],
    ['the request origin otherwise', undefined, 'http://localhost:7071'],
  ])('use %s', (_name, publicBase, expected) => {
    expect(baseUrl(publicBase, 'http://localhost:7071/api/subscriptions/x?code=k')).toBe(expected);
  });

  it('point at the operation status route with the api-version', () => {
    expect(operationUrl('https://c.example.com', 'abc')).toBe(
      'https://c.example.com/api/providers/Microsoft.ServiceLinker/operationStatuses/abc?api-version=2024-04-01',
    );
  });
});
