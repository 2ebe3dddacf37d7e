import { describe, expect, it } from 'vitest';
import { TerminalError } from '../../shared/errors/index.js';
import { parseHostPortAnnotation } from '../../shared/hostports/annotation.js';
import type { Pod } from '../../shared/hostports/types.js';
import { pod } from './fixtures.js';

const prefix = 'annotation kubernetes.azure.com/assign-hostports-for-containerports';

function refusal(value: string, subject: Pod = pod('echoserver')): TerminalError {
  try {
    parseHostPortAnnotation(value, subject);
  } catch (error) {
    if (error instanceof TerminalError) return error;
    throw error;
  }
  throw new Error(`'${value}' was accepted`);
}

describe('parseHostPortAnnotation', () => {
  it.each([
    [
      "the seed's echoserver annotation",
      '8080/tcp,8443/tcp',
      [
        { container: 'echoserver-hostport', containerPort: 8080, protocol: 'TCP' },
        { container: 'echoserver-hostport', containerPort: 8443, protocol: 'TCP' },
      ],
    ],
    [
      'upper-case protocols',
      '8443/TCP',
      [{ container: 'echoserver-hostport', containerPort: 8443, protocol: 'TCP' }],
    ],
    [
      'spaces around entries',
      ' 8443/tcp , 8080/tcp ',
      [
        { container: 'echoserver-hostport', containerPort: 8443, protocol: 'TCP' },
        { container: 'echoserver-hostport', containerPort: 8080, protocol: 'TCP' },
      ],
    ],
  ])('reads %s', (_name, value, expected) => {
    expect(parseHostPortAnnotation(value, pod('echoserver'))).toEqual(expected);
  });

  it('finds ports across containers, with TCP as the default protocol of a container port', () => {
    expect(parseHostPortAnnotation('7777/udp,7778/tcp,9100/tcp', pod('statefulset'))).toEqual([
      { container: 'server', containerPort: 7777, protocol: 'UDP' },
      { container: 'server', containerPort: 7778, protocol: 'TCP' },
      { container: 'metrics', containerPort: 9100, protocol: 'TCP' },
    ]);
  });

  it('treats the same port number with two protocols as two entries', () => {
    const subject = pod('echoserver');
    subject.spec.containers[0]?.ports?.push({ containerPort: 8080, protocol: 'UDP' });
    expect(parseHostPortAnnotation('8080/tcp,8080/udp', subject).map((r) => r.protocol)).toEqual([
      'TCP',
      'UDP',
    ]);
  });
});

describe('annotation denial messages', () => {
  it.each([
    [
      'an empty value',
      '',
      'EmptyAnnotation',
      "'': the value is empty: list port/protocol entries, e.g. 8080/tcp",
    ],
    [
      'a blank value',
      '   ',
      'EmptyAnnotation',
      "'   ': the value is empty: list port/protocol entries, e.g. 8080/tcp",
    ],
    [
      'two commas in a row',
      '8080/tcp,,8443/tcp',
      'EmptyEntry',
      "'8080/tcp,,8443/tcp': entry 2 is empty (two commas in a row, or a comma at an end)",
    ],
    [
      'a trailing comma',
      '8080/tcp,',
      'EmptyEntry',
      "'8080/tcp,': entry 2 is empty (two commas in a row, or a comma at an end)",
    ],
    ['a word', 'http', 'MalformedEntry', "'http': entry 'http' is not port/protocol (e.g. 8080/tcp)"],
    [
      'a port without protocol',
      '8080',
      'MalformedEntry',
      "'8080': entry '8080' is not port/protocol (e.g. 8080/tcp)",
    ],
    [
      'a named port',
      'http/tcp',
      'MalformedEntry',
      "'http/tcp': entry 'http/tcp' is not port/protocol (e.g. 8080/tcp)",
    ],
    [
      'a range',
      '8080-8443/tcp',
      'MalformedEntry',
      "'8080-8443/tcp': entry '8080-8443/tcp' is a range: list each container port on its own (port/protocol)",
    ],
    [
      'an unknown protocol',
      '8080/sctp',
      'UnknownProtocol',
      "'8080/sctp': entry '8080/sctp' has protocol 'sctp': use tcp or udp",
    ],
    [
      'a protocol that is not a word',
      '8080/tcp6',
      'UnknownProtocol',
      "'8080/tcp6': entry '8080/tcp6' has protocol 'tcp6': use tcp or udp",
    ],
    ['port zero', '0/tcp', 'PortOutOfRange', "'0/tcp': entry '0/tcp' has port 0, outside 1-65535"],
    [
      'a port above 65535',
      '65536/tcp',
      'PortOutOfRange',
      "'65536/tcp': entry '65536/tcp' has port 65536, outside 1-65535",
    ],
    [
      'a duplicate in another case',
      '8080/tcp,8080/TCP',
      'DuplicateEntry',
      "'8080/tcp,8080/TCP': entry '8080/TCP' repeats '8080/tcp'",
    ],
    [
      'a port the pod does not declare',
      '9090/tcp',
      'NotAContainerPort',
      "'9090/tcp': entry '9090/tcp' is not a container port of the pod: its containers declare 8080/TCP (echoserver-hostport), 8443/TCP (echoserver-hostport)",
    ],
    [
      'a declared port with the other protocol',
      '8080/udp',
      'NotAContainerPort',
      "'8080/udp': entry '8080/udp' is not a container port of the pod: its containers declare 8080/TCP (echoserver-hostport), 8443/TCP (echoserver-hostport)",
    ],
  ])('refuses %s', (_name, value, reason, message) => {
    const error = refusal(value);
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(`${prefix}: ${message}`);
    expect(error.target).toBe(
      'metadata.annotations[kubernetes.azure.com/assign-hostports-for-containerports]',
    );
  });

  it('refuses a pod whose containers declare no ports', () => {
    const subject = pod('echoserver');
    delete subject.spec.containers[0]?.ports;
    expect(refusal('8080/tcp', subject).message).toBe(
      `${prefix}: '8080/tcp': entry '8080/tcp' is not a container port of the pod: its containers declare no ports`,
    );
  });

  it('refuses a port declared by two containers', () => {
    const subject = pod('statefulset');
    subject.spec.containers[1]?.ports?.push({ containerPort: 7778, protocol: 'TCP' });
    const error = refusal('7778/tcp', subject);
    expect(error.reason).toBe('AmbiguousContainerPort');
    expect(error.message).toBe(
      `${prefix}: '7778/tcp': entry '7778/tcp' is declared by several containers ('server', 'metrics'): one host port cannot serve them all`,
    );
  });

  it('refuses a port that already has a host port', () => {
    const subject = pod('echoserver');
    const port = subject.spec.containers[0]?.ports?.[1];
    if (port !== undefined) port.hostPort = 30443;
    const error = refusal('8443/tcp', subject);
    expect(error.reason).toBe('HostPortAlreadySet');
    expect(error.message).toBe(
      `${prefix}: '8443/tcp': entry '8443/tcp' already has hostPort 30443 in container 'echoserver-hostport': remove the hostPort or the entry`,
    );
  });

  it('accepts a port whose hostPort is 0 (unset in Kubernetes terms)', () => {
    const subject = pod('echoserver');
    const port = subject.spec.containers[0]?.ports?.[0];
    if (port !== undefined) port.hostPort = 0;
    expect(parseHostPortAnnotation('8080/tcp', subject)).toHaveLength(1);
  });

  it('refuses a pod on the host network', () => {
    const subject = pod('echoserver');
    subject.spec.hostNetwork = true;
    const error = refusal('8080/tcp', subject);
    expect(error.reason).toBe('HostNetworkPod');
    expect(error.message).toBe(
      `${prefix}: '8080/tcp': the pod uses hostNetwork, where host ports always equal container ports: nothing can be assigned`,
    );
  });

  it('refuses more entries than one pod may ask for', () => {
    const subject = pod('echoserver');
    const ports = Array.from({ length: 65 }, (_, i) => ({ containerPort: 10000 + i, protocol: 'TCP' }));
    subject.spec.containers = [{ name: 'many', ports }];
    const error = refusal(ports.map((p) => `${p.containerPort}/tcp`).join(','), subject);
    expect(error.reason).toBe('TooManyPorts');
    expect(error.message).toContain(': 65 entries is more than the 64 host ports one pod may ask for');
  });

  it('lists every problem, with the first one as the reason', () => {
    const error = refusal('8080/sctp,,9090/tcp,8443/tcp,8443/tcp');
    expect(error.reason).toBe('UnknownProtocol');
    expect(error.message).toBe(
      `${prefix}: '8080/sctp,,9090/tcp,8443/tcp,8443/tcp': ` +
        [
          "entry '8080/sctp' has protocol 'sctp': use tcp or udp",
          'entry 2 is empty (two commas in a row, or a comma at an end)',
          "entry '9090/tcp' is not a container port of the pod: its containers declare 8080/TCP (echoserver-hostport), 8443/TCP (echoserver-hostport)",
          "entry '8443/tcp' repeats '8443/tcp'",
        ].join('; '),
    );
  });
});
