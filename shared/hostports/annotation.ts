/**
 * The pod annotation `kubernetes.azure.com/assign-hostports-for-containerports: 8080/tcp,8443/tcp`:
 * which container ports want a host port. Every problem becomes a sentence of the admission
 * denial, so a person can fix the manifest from the message alone.
 */
import { TerminalError } from '../errors/index.js';
import {
  assignHostPortsAnnotation,
  containerPortProtocol,
  maxPortsPerPod,
  type HostPortRequest,
  type Pod,
  type Protocol,
} from './types.js';

/** Why an annotation was refused; the `reason` of the TerminalError, stable for tests and logs. */
export type AnnotationProblemReason =
  | 'EmptyAnnotation'
  | 'EmptyEntry'
  | 'MalformedEntry'
  | 'UnknownProtocol'
  | 'PortOutOfRange'
  | 'DuplicateEntry'
  | 'NotAContainerPort'
  | 'AmbiguousContainerPort'
  | 'HostPortAlreadySet'
  | 'HostNetworkPod'
  | 'TooManyPorts';

interface Problem {
  readonly reason: AnnotationProblemReason;
  readonly message: string;
}

interface Entry {
  readonly text: string;
  readonly port: number;
  readonly protocol: Protocol;
}

const entryPattern = /^(\d+)\/([A-Za-z]+)$/;

/** A problem with one entry (undefined problem means the entry is well formed). */
function readEntry(text: string): Entry | Problem {
  const match = entryPattern.exec(text);
  if (match !== null) {
    const [, portText = '', protocolText = ''] = match;
    const port = Number(portText);
    const upper = protocolText.toUpperCase();
    if (upper !== 'TCP' && upper !== 'UDP') {
      return {
        reason: 'UnknownProtocol',
        message: `entry '${text}' has protocol '${protocolText}': use tcp or udp`,
      };
    }
    if (port < 1 || port > 65535) {
      return { reason: 'PortOutOfRange', message: `entry '${text}' has port ${portText}, outside 1-65535` };
    }
    return { text, port, protocol: upper };
  }
  if (/^\d+-\d+\/\S*$/.test(text)) {
    return {
      reason: 'MalformedEntry',
      message: `entry '${text}' is a range: list each container port on its own (port/protocol)`,
    };
  }
  if (/^\d+\/\S+$/.test(text)) {
    const protocolText = text.slice(text.indexOf('/') + 1);
    return {
      reason: 'UnknownProtocol',
      message: `entry '${text}' has protocol '${protocolText}': use tcp or udp`,
    };
  }
  return { reason: 'MalformedEntry', message: `entry '${text}' is not port/protocol (e.g. 8080/tcp)` };
}

function isProblem(value: Entry | Problem): value is Problem {
  return 'reason' in value;
}

function describeDeclaredPorts(pod: Pod): string {
  const declared = pod.spec.containers.flatMap((c) =>
    (c.ports ?? []).map((p) => `${p.containerPort}/${containerPortProtocol(p)} (${c.name})`),
  );
  return declared.length === 0
    ? 'its containers declare no ports'
    : `its containers declare ${declared.join(', ')}`;
}

/** Finds the container port an entry names, or the problem with it. */
function matchContainerPort(pod: Pod, entry: Entry): HostPortRequest | Problem {
  const matches = pod.spec.containers.flatMap((container) =>
    (container.ports ?? [])
      .filter((p) => p.containerPort === entry.port && containerPortProtocol(p) === entry.protocol)
      .map((port) => ({ container, port })),
  );
  const [first, second] = matches;
  if (first === undefined) {
    return {
      reason: 'NotAContainerPort',
      message: `entry '${entry.text}' is not a container port of the pod: ${describeDeclaredPorts(pod)}`,
    };
  }
  if (second !== undefined) {
    const names = matches.map((m) => `'${m.container.name}'`).join(', ');
    return {
      reason: 'AmbiguousContainerPort',
      message: `entry '${entry.text}' is declared by several containers (${names}): one host port cannot serve them all`,
    };
  }
  const hostPort = first.port.hostPort;
  if (hostPort !== undefined && hostPort !== 0) {
    return {
      reason: 'HostPortAlreadySet',
      message: `entry '${entry.text}' already has hostPort ${hostPort} in container '${first.container.name}': remove the hostPort or the entry`,
    };
  }
  return { container: first.container.name, containerPort: entry.port, protocol: entry.protocol };
}

function problemsAndRequests(value: string, pod: Pod): { problems: Problem[]; requests: HostPortRequest[] } {
  const problems: Problem[] = [];
  const requests: HostPortRequest[] = [];
  if (pod.spec.hostNetwork === true) {
    problems.push({
      reason: 'HostNetworkPod',
      message:
        'the pod uses hostNetwork, where host ports always equal container ports: nothing can be assigned',
    });
  }
  if (value.trim() === '') {
    problems.push({
      reason: 'EmptyAnnotation',
      message: 'the value is empty: list port/protocol entries, e.g. 8080/tcp',
    });
    return { problems, requests };
  }
  const seen = new Map<string, string>();
  value.split(',').forEach((raw, i) => {
    const text = raw.trim();
    if (text === '') {
      problems.push({
        reason: 'EmptyEntry',
        message: `entry ${i + 1} is empty (two commas in a row, or a comma at an end)`,
      });
      return;
    }
    const entry = readEntry(text);
    if (isProblem(entry)) {
      problems.push(entry);
      return;
    }
    const key = `${entry.port}/${entry.protocol}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push({ reason: 'DuplicateEntry', message: `entry '${text}' repeats '${earlier}'` });
      return;
    }
    seen.set(key, text);
    const matched = matchContainerPort(pod, entry);
    if ('reason' in matched) problems.push(matched);
    else requests.push(matched);
  });
  if (seen.size > maxPortsPerPod) {
    problems.push({
      reason: 'TooManyPorts',
      message: `${seen.size} entries is more than the ${maxPortsPerPod} host ports one pod may ask for`,
    });
  }
  return { problems, requests };
}

/**
 * The container ports the annotation asks host ports for, in annotation order. Entries are
 * comma-separated `port/protocol` (protocol tcp or udp, any case; spaces around an entry are
 * ignored). Throws a TerminalError whose reason is the first problem's and whose message lists
 * every problem found.
 */
export function parseHostPortAnnotation(value: string, pod: Pod): HostPortRequest[] {
  const { problems, requests } = problemsAndRequests(value, pod);
  const [first] = problems;
  if (first !== undefined) {
    throw new TerminalError(
      `annotation ${assignHostPortsAnnotation}: '${value}': ${problems.map((p) => p.message).join('; ')}`,
      { reason: first.reason, target: `metadata.annotations[${assignHostPortsAnnotation}]` },
    );
  }
  return requests;
}
