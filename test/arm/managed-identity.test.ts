import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import { resourceGroup, startTestEmulator, subscriptionId } from './helpers.js';

const run = promisify(execFile);
const probe = fileURLToPath(new URL('./fixtures/default-credential-probe.ts', import.meta.url));

let emulator: ArmEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  dir = await mkdtemp(join(tmpdir(), 'arm-mi-'));
});
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The environment an Azure Functions host gives the app, and nothing from this process's Azure login. */
function functionsHostEnv(caFile: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AZURE_|IDENTITY_|MSI_|IMDS_)/.test(k)),
  );
  return {
    ...env,
    IDENTITY_ENDPOINT: emulator.managedIdentity.endpoint,
    IDENTITY_HEADER: emulator.managedIdentity.header,
    NODE_EXTRA_CA_CERTS: caFile,
    PROBE_ARM_ENDPOINT: emulator.endpoint,
    PROBE_SUBSCRIPTION_ID: subscriptionId,
    PROBE_RESOURCE_GROUP: resourceGroup,
  };
}

describe('App Service managed identity endpoint', () => {
  it('gives DefaultAzureCredential in a child process a token ARM accepts as the app identity', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, emulator.caPem);
    const before = emulator.managedIdentity.tokensIssued();
    const { stdout } = await run(process.execPath, [probe], {
      env: functionsHostEnv(caFile),
      timeout: 30_000,
    });
    const seen = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(seen).toEqual({
      resourceGroup,
      oid: emulator.managedIdentity.principalId,
      aud: 'https://management.azure.com',
    });
    expect(emulator.managedIdentity.tokensIssued()).toBeGreaterThan(before);
    expect(
      emulator.requestLog.count({ principalId: emulator.managedIdentity.principalId, status: 200 }),
    ).toBeGreaterThan(0);
  });

  it('refuses a token request without the identity header', async () => {
    const res = await fetch(
      `${emulator.managedIdentity.endpoint}?api-version=2019-08-01&resource=https://management.azure.com`,
    );
    expect(res.status).toBe(401);
  });
});
