/**
 * The Azure IoT Operations MQTT broker (`.../instances/{i}/brokers/{b}`), for workloads on the
 * cluster that runs it (ADR 0120): they connect to the `default` listener's Service over TLS and
 * authenticate with a Kubernetes service account token (MQTT v5 enhanced auth `K8S-SAT`, audience
 * `aio-internal`), trusting the CA bundle the connector copies into their namespace
 * (research/k8s-side.md §4.3). No credential is stored, no firewall and no Azure role applies.
 */
import { firewallNotApplicable } from './firewall/not-applicable.js';
import type { TargetModule } from './types.js';
import { constant, item, recipe, refuseAuth, refuseClient } from './values.js';

const title = 'Azure IoT Operations MQTT broker';

/** Where IoT Operations runs and what its deployment names (research/k8s-side.md §4.1, §4.3). */
export const iotOperationsNamespace = 'azure-iot-operations';
export const defaultListenerName = 'default';
export const defaultBrokerServiceName = 'aio-broker';
export const caTrustBundleName = 'azure-iot-operations-aio-ca-trust-bundle';
export const caTrustBundleKey = 'ca.crt';
export const satAudience = 'aio-internal';

export const mqttBroker: TargetModule = {
  kind: 'mqtt-broker',
  title,
  configuration(auth, client) {
    const refused = refuseClient(client);
    if (refused !== undefined) return refused;
    if (auth !== 'serviceAccountToken') return refuseAuth(title, auth, ['serviceAccountToken']);
    return recipe('MQTT_BROKER', [
      item(
        'HOST',
        'brokerListener',
        (v) =>
          v.brokerListener && `${v.brokerListener.serviceName}.${iotOperationsNamespace}.svc.cluster.local`,
      ),
      item('PORT', 'brokerListener', (v) => v.brokerListener && String(v.brokerListener.tlsPort)),
      constant('TLS', 'true'),
      constant('AUTHENTICATION_METHOD', 'K8S-SAT'),
      constant('SAT_AUDIENCE', satAudience),
      constant('CA_CONFIGMAP', caTrustBundleName),
    ]);
  },
  identityAuthorization: () => ({
    kind: 'not-applicable',
    reason: 'InClusterTarget',
    message: 'The broker authenticates service account tokens of its own cluster; no Azure role applies.',
  }),
  firewall: firewallNotApplicable('The MQTT broker'),
  dataPlaneEndpoint: () => undefined,
};
