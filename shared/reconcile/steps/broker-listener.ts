/**
 * The address in-cluster clients use (ADR 0120): the `default` BrokerListener's Service (its
 * `spec.serviceName`, else the name IoT Operations gives it) and its first TLS port, the one with
 * service account token authentication (research/k8s-side.md §4.1).
 */
import type { KubeObject } from '../../kube/ports.js';
import { at, list, str } from '../../targets/arm-body.js';
import { defaultBrokerServiceName } from '../../targets/mqtt-broker.js';

export type ListenerValues =
  | { readonly ok: true; readonly serviceName: string; readonly tlsPort: number }
  | { readonly ok: false; readonly reason: string; readonly message: string };

export function defaultListenerValues(listener: KubeObject): ListenerValues {
  const serviceName = str(listener, 'spec', 'serviceName') ?? defaultBrokerServiceName;
  const tlsPort = list(listener, 'spec', 'ports')
    .filter((p) => at(p, 'tls') !== undefined && at(p, 'tls') !== null)
    .map((p) => at(p, 'port'))
    .find((p): p is number => typeof p === 'number');
  if (tlsPort === undefined)
    return {
      ok: false,
      reason: 'BrokerListenerWithoutTls',
      message: `The default BrokerListener has no TLS port, which service account token clients need.`,
    };
  return { ok: true, serviceName, tlsPort };
}
