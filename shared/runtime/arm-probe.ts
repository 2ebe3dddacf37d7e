/**
 * The I/O of the health endpoint's ARM check (shared/health/arm-check.ts): a token from the app's
 * DefaultAzureCredential for the ARM scope the adapters use (`<endpoint>/.default`), and one cheap
 * read with it: the first swept subscription (`GET /subscriptions/{id}`, which needs no role), or
 * the subscription list when none is configured. The read goes straight to the HTTP client, with no
 * retry or redirect policy: the check wants ARM's first answer, within its timeout, and nothing of
 * the answer leaves this module but the status and ARM's error code.
 */
import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential } from '@azure/identity';
import { errorEnvelope } from '../azure/failures.js';
import { parseJson } from '../azure/reply.js';
import { type ArmHealth, type ArmProbe, cachedArmCheck, checkArm } from '../health/arm-check.js';
import { currentSettings, lazy } from './lazy.js';
import type { Settings } from './settings.js';

/** Microsoft.Resources subscriptions: a stable version every ARM cloud (and the emulator) serves. */
const subscriptionsApiVersion = '2022-12-01';

export function createArmProbe(
  settings: Pick<Settings, 'armEndpoint' | 'subscriptionIds'>,
  credential: TokenCredential = new DefaultAzureCredential(),
): ArmProbe {
  const base = settings.armEndpoint.replace(/\/+$/, '');
  const subscription = settings.subscriptionIds[0];
  const path =
    subscription === undefined ? '/subscriptions' : `/subscriptions/${encodeURIComponent(subscription)}`;
  const httpClient = createDefaultHttpClient();
  return {
    async token(signal) {
      const token = await credential.getToken(`${base}/.default`, { abortSignal: signal });
      if (token === null) throw Object.assign(new Error('no token'), { name: 'CredentialUnavailableError' });
      return token.token;
    },
    async read(token, signal) {
      const response = await httpClient.sendRequest(
        createPipelineRequest({
          url: `${base}${path}?api-version=${subscriptionsApiVersion}`,
          method: 'GET',
          headers: createHttpHeaders({
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            'user-agent': 'connector-functions-health',
          }),
          abortSignal: signal,
        }),
      );
      const ok = response.status >= 200 && response.status < 300;
      return {
        status: response.status,
        code: ok ? undefined : errorEnvelope(parseJson(response.bodyAsText)).code,
      };
    },
  };
}

const processArmCheck = lazy(() => {
  const probe = lazy(() => createArmProbe(currentSettings()));
  return cachedArmCheck(() => checkArm(probe()));
});

/** The process's ARM check: built lazily from the app settings, its result reused for a minute. */
export function armHealth(): Promise<ArmHealth> {
  return processArmCheck()();
}
