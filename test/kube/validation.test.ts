import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor, startTestCluster, statusOf, type Clients, type TestCluster } from './harness.js';

const subdomainRule =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const keyRule =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const strictEnvRule =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
const relaxedEnvRule =
  "a valid environment variable name must consist only of printable ASCII characters other than '='";
const urlForm = '; desired format: https://host[/path]';

function podWithEnv(name: string, envName: string): object {
  return {
    metadata: { name },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', env: [{ name: envName, value: 'x' }] }] },
  };
}

function webhookConfig(name: string, hook: Record<string, unknown>): object {
  return {
    metadata: { name },
    webhooks: [
      {
        name: 'hook.example.com',
        clientConfig: { url: 'https://127.0.0.1:9443/mutate' },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        ...hook,
      },
    ],
  };
}

describe('422 Invalid with the API server’s causes', () => {
  let t: TestCluster;
  let legacy: Clients;

  beforeAll(async () => {
    t = await startTestCluster({ iotOperations: true });
    const arm = `${t.armId}-legacy`;
    await t.emulator.createCluster(arm, { kubernetesVersion: '1.31.5' });
    legacy = clientsFor(t.emulator.cluster(arm)?.kubeconfig() ?? '');
  });
  afterAll(async () => {
    await t.emulator.close();
  });

  it('reports an invalid Secret name with the exact Status', async () => {
    const failure = await statusOf(
      t.core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'Bad_Name' } } }),
    );
    expect(failure).toEqual({
      code: 422,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Secret "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${subdomainRule}`,
        reason: 'Invalid',
        details: {
          name: 'Bad_Name',
          kind: 'Secret',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: `Invalid value: "Bad_Name": ${subdomainRule}`,
              field: 'metadata.name',
            },
          ],
        },
        code: 422,
      },
    });
  });

  it.each([
    [
      'a namespace name with dots (DNS-1123 label)',
      () => t.core.createNamespace({ body: { metadata: { name: 'has.dots' } } }),
      'Namespace "has.dots" is invalid: metadata.name: Invalid value: "has.dots": must not contain dots',
    ],
    [
      'a service name starting with a digit (DNS-1035 label)',
      () =>
        t.core.createNamespacedService({
          namespace: 'default',
          body: { metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } },
        }),
      `Service "1svc" is invalid: metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
    [
      'a name longer than 253 characters',
      () =>
        t.core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: 'a'.repeat(254) } },
        }),
      `ConfigMap "${'a'.repeat(254)}" is invalid: metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`,
    ],
    [
      'a Secret key with a space',
      () =>
        t.core.createNamespacedSecret({
          namespace: 'default',
          body: { metadata: { name: 'badkey' }, stringData: { 'bad key': 'v' } },
        }),
      `Secret "badkey" is invalid: data[bad key]: Invalid value: "bad key": ${keyRule}`,
    ],
    [
      'a ConfigMap key of ".."',
      () =>
        t.core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: 'dots' }, data: { '..': 'v' } },
        }),
      `ConfigMap "dots" is invalid: data[..]: Invalid value: "..": must not be '..'`,
    ],
    [
      'Secret data over 1 MiB',
      () =>
        t.core.createNamespacedSecret({
          namespace: 'default',
          body: {
            metadata: { name: 'big' },
            data: { blob: Buffer.alloc(1024 * 1024 + 1, 1).toString('base64') },
          },
        }),
      'Secret "big" is invalid: data: Too long: may not be more than 1048576 bytes',
    ],
    [
      'ConfigMap data over 1 MiB',
      () =>
        t.core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: 'big' }, data: { a: 'x'.repeat(600_000), b: 'y'.repeat(600_000) } },
        }),
      'ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes',
    ],
    [
      'an env var name with "=" (relaxed rule of 1.34)',
      () => t.core.createNamespacedPod({ namespace: 'default', body: podWithEnv('env-eq', 'A=B') }),
      `Pod "env-eq" is invalid: spec.containers[0].env[0].name: Invalid value: "A=B": ${relaxedEnvRule}`,
    ],
    [
      'an env var name starting with a digit (strict rule before 1.32)',
      () => legacy.core.createNamespacedPod({ namespace: 'default', body: podWithEnv('env-digit', '1ST') }),
      `Pod "env-digit" is invalid: spec.containers[0].env[0].name: Invalid value: "1ST": ${strictEnvRule}`,
    ],
    [
      'a deployment whose template labels miss the selector',
      () =>
        t.apps.createNamespacedDeployment({
          namespace: 'default',
          body: {
            metadata: { name: 'mismatch' },
            spec: {
              selector: { matchLabels: { app: 'a' } },
              template: {
                metadata: { labels: { app: 'b' } },
                spec: { containers: [{ name: 'c', image: 'nginx' }] },
              },
            },
          },
        }),
      'Deployment.apps "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
    ],
    [
      'a custom resource field of the wrong type',
      () =>
        t.custom.createNamespacedCustomObject({
          group: 'mqttbroker.iotoperations.azure.com',
          version: 'v1',
          namespace: 'azure-iot-operations',
          plural: 'brokerlisteners',
          body: {
            apiVersion: 'mqttbroker.iotoperations.azure.com/v1',
            kind: 'BrokerListener',
            metadata: { name: 'typed' },
            spec: { ports: [{ port: '1883' }] },
          },
        }),
      'BrokerListener.mqttbroker.iotoperations.azure.com "typed" is invalid: spec.ports[0].port: Invalid value: "1883": spec.ports[0].port in body must be of type integer: "string"',
    ],
    [
      'a custom resource value outside its enum',
      () =>
        t.custom.createNamespacedCustomObject({
          group: 'mqttbroker.iotoperations.azure.com',
          version: 'v1',
          namespace: 'azure-iot-operations',
          plural: 'brokerlisteners',
          body: {
            apiVersion: 'mqttbroker.iotoperations.azure.com/v1',
            kind: 'BrokerListener',
            metadata: { name: 'enum' },
            spec: { serviceType: 'Internal', ports: [{ port: 1883 }] },
          },
        }),
      'BrokerListener.mqttbroker.iotoperations.azure.com "enum" is invalid: spec.serviceType: Unsupported value: "Internal": supported values: "ClusterIp", "NodePort", "LoadBalancer"',
    ],
  ])('refuses %s', async (_name, call, message) => {
    const failure = await statusOf(call());
    expect(failure.code).toBe(422);
    expect(failure.status.reason).toBe('Invalid');
    expect(failure.status.message).toBe(message);
  });

  it('aggregates several errors in brackets and lists every cause', async () => {
    const failure = await statusOf(
      t.core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'many' }, spec: { containers: [{ name: 'Bad', image: '' }] } },
      }),
    );
    expect(failure.status.message).toBe(
      "Pod \"many\" is invalid: [spec.containers[0].name: Invalid value: \"Bad\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), spec.containers[0].image: Required value]",
    );
    expect((failure.status.details as { causes: unknown[] }).causes).toEqual([
      expect.objectContaining({ reason: 'FieldValueInvalid', field: 'spec.containers[0].name' }),
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' },
    ]);
  });

  it('refuses changes to the data of an immutable Secret', async () => {
    await t.core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'frozen' }, immutable: true, stringData: { a: '1' } },
    });
    const current = await t.core.readNamespacedSecret({ namespace: 'default', name: 'frozen' });
    const failure = await statusOf(
      t.core.replaceNamespacedSecret({
        namespace: 'default',
        name: 'frozen',
        body: { ...current, data: { a: Buffer.from('2').toString('base64') } },
      }),
    );
    expect(failure.status.message).toBe(
      'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
  });

  it('answers 400 for Secret data that is not base64', async () => {
    const failure = await statusOf(
      t.core.createNamespacedSecret({
        namespace: 'default',
        body: { metadata: { name: 'b64' }, data: { a: 'not base64!' } },
      }),
    );
    expect(failure.code).toBe(400);
    expect(failure.status).toMatchObject({
      reason: 'BadRequest',
      message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    });
  });

  it.each([
    [
      'an http URL',
      { clientConfig: { url: 'http://127.0.0.1:9443/mutate' } },
      `webhooks[0].clientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme${urlForm}`,
    ],
    [
      'user info in the URL',
      { clientConfig: { url: 'https://me:pw@127.0.0.1:9443/mutate' } },
      'webhooks[0].clientConfig.url: Invalid value: "me:pw": user information is not permitted in the URL',
    ],
    [
      'a query in the URL',
      { clientConfig: { url: 'https://127.0.0.1:9443/mutate?x=1' } },
      'webhooks[0].clientConfig.url: Invalid value: "x=1": query parameters are not permitted in the URL',
    ],
    [
      'a fragment in the URL',
      { clientConfig: { url: 'https://127.0.0.1:9443/mutate#top' } },
      'webhooks[0].clientConfig.url: Invalid value: "top": fragments are not permitted in the URL',
    ],
    [
      'no sideEffects',
      { sideEffects: undefined },
      'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun',
    ],
    [
      'sideEffects Some',
      { sideEffects: 'Some' },
      'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
    ],
    [
      'no admissionReviewVersions',
      { admissionReviewVersions: [] },
      'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1',
    ],
    [
      'a timeout of 31 seconds',
      { timeoutSeconds: 31 },
      'webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds',
    ],
    [
      'a timeout of 0 seconds',
      { timeoutSeconds: 0 },
      'webhooks[0].timeoutSeconds: Invalid value: 0: the timeout value must be between 1 and 30 seconds',
    ],
    [
      'a webhook name with two segments',
      { name: 'hook.example' },
      'webhooks[0].name: Invalid value: "hook.example": should be a domain with at least three segments separated by dots',
    ],
    [
      'both url and service',
      { clientConfig: { url: 'https://a.example.com/', service: { name: 's', namespace: 'n' } } },
      'webhooks[0].clientConfig: Required value: exactly one of url or service is required',
    ],
  ])('refuses a mutating webhook configuration with %s', async (_name, hook, detail) => {
    const failure = await statusOf(
      t.admission.createMutatingWebhookConfiguration({ body: webhookConfig('bad-hook', hook) }),
    );
    expect(failure.code).toBe(422);
    expect(failure.status.message).toBe(
      `MutatingWebhookConfiguration.admissionregistration.k8s.io "bad-hook" is invalid: ${detail}`,
    );
  });

  it('refuses duplicate webhook names in one configuration', async () => {
    const body = webhookConfig('dup-hook', {}) as { webhooks: object[] };
    body.webhooks.push(body.webhooks[0] ?? {});
    const failure = await statusOf(t.admission.createValidatingWebhookConfiguration({ body: body as never }));
    expect(failure.status.message).toBe(
      'ValidatingWebhookConfiguration.admissionregistration.k8s.io "dup-hook" is invalid: webhooks[1].name: Duplicate value: "hook.example.com"',
    );
  });

  it('fills in the webhook defaults the API server sets', async () => {
    const created = await t.admission.createMutatingWebhookConfiguration({
      body: webhookConfig('defaults-hook', {}),
    });
    const hook = created.webhooks?.[0];
    expect(hook?.failurePolicy).toBe('Fail');
    expect(hook?.matchPolicy).toBe('Equivalent');
    expect(hook?.timeoutSeconds).toBe(10);
    expect(hook?.reinvocationPolicy).toBe('Never');
    expect(hook?.namespaceSelector).toEqual({});
    expect(hook?.objectSelector).toEqual({});
    expect(hook?.rules?.[0]?.scope).toBe('*');
  });
});
