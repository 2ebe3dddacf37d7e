/**
 * Node pools' allowed host ports: the spec string (`80/tcp,40000-59999/udp`, as
 * `az aks nodepool --allowed-host-ports` takes it), the agent pool's `networkProfile.allowedHostPorts`
 * PortRange list, and the pure planner that makes a pool allow the auto-assignment range.
 */
import { TerminalError } from '../errors/index.js';
import { autoAssignRange, type PortInterval, type Protocol } from './types.js';

/** One allowed range, validated (1-65535, start <= end). */
export interface HostPortRange {
  readonly start: number;
  readonly end: number;
  readonly protocol: Protocol;
}

/** The ARM shape (`PortRange` of @azure/arm-containerservice), as read from an agent pool. */
export interface AgentPoolPortRange {
  portStart?: number;
  portEnd?: number;
  protocol?: string;
}

/** The ARM shape as we write it: every field set, protocol upper case. */
export interface AgentPoolPortRangeOut {
  portStart: number;
  portEnd: number;
  protocol: Protocol;
}

const invalidReason = 'InvalidAllowedHostPorts';
const entryPattern = /^(\d+)(?:-(\d+))?\/([A-Za-z]+)$/;

function invalid(spec: string, entry: string, why: string): TerminalError {
  return new TerminalError(`Allowed host ports '${spec}': entry '${entry}' ${why}`, {
    reason: invalidReason,
    target: entry,
    mitigation:
      'Write comma-separated entries port/protocol or start-end/protocol, e.g. 80/tcp,40000-59999/udp.',
  });
}

function protocolOf(value: string): Protocol | undefined {
  const upper = value.toUpperCase();
  return upper === 'TCP' || upper === 'UDP' ? upper : undefined;
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function parseEntry(spec: string, entry: string, position: number): HostPortRange {
  if (entry === '') {
    throw new TerminalError(
      `Allowed host ports '${spec}': entry ${position} is empty (two commas in a row, or a comma at an end)`,
      { reason: invalidReason, target: spec },
    );
  }
  // The Azure CLI splits on ',' and matches each piece whole, so a space anywhere is an error there too.
  if (/\s/.test(entry)) {
    throw invalid(spec, entry, 'contains whitespace: the list is comma-separated with no spaces');
  }
  const match = entryPattern.exec(entry);
  if (match === null) {
    throw invalid(spec, entry, 'is not port/protocol or start-end/protocol (e.g. 80/tcp, 40000-59999/udp)');
  }
  const [, first = '', second, protocolText = ''] = match;
  const protocol = protocolOf(protocolText);
  if (protocol === undefined) throw invalid(spec, entry, `has protocol '${protocolText}': use tcp or udp`);
  const start = Number(first);
  const end = second === undefined ? start : Number(second);
  for (const port of [start, end]) {
    if (!isPort(port)) throw invalid(spec, entry, `has port ${port}, outside 1-65535`);
  }
  if (start > end) throw invalid(spec, entry, `starts at ${start}, after its end ${end}`);
  return { start, end, protocol };
}

/**
 * Parses the CLI's format. An empty string is an empty list (the CLI's way of clearing the setting).
 * Throws a TerminalError (reason `InvalidAllowedHostPorts`) quoting the first bad entry.
 */
export function parseAllowedHostPorts(spec: string): HostPortRange[] {
  if (spec === '') return [];
  return spec.split(',').map((entry, i) => parseEntry(spec, entry, i + 1));
}

export function formatHostPortRange(range: HostPortRange): string {
  const ports = range.start === range.end ? `${range.start}` : `${range.start}-${range.end}`;
  return `${ports}/${range.protocol.toLowerCase()}`;
}

/** The inverse of `parseAllowedHostPorts`: `parse(format(x))` equals `x`. */
export function formatAllowedHostPorts(ranges: readonly HostPortRange[]): string {
  return ranges.map(formatHostPortRange).join(',');
}

export function toAgentPoolPortRanges(ranges: readonly HostPortRange[]): AgentPoolPortRangeOut[] {
  return ranges.map((r) => ({ portStart: r.start, portEnd: r.end, protocol: r.protocol }));
}

/** Reads what ARM returned; an entry that is not a valid range is a TerminalError naming it. */
export function fromAgentPoolPortRanges(ranges: readonly AgentPoolPortRange[] | undefined): HostPortRange[] {
  return (ranges ?? []).map((r, i) => {
    const range = validAgentPoolRange(r);
    if (range === undefined) {
      throw new TerminalError(
        `networkProfile.allowedHostPorts[${i}] ${JSON.stringify(r)} is not a port range of 1-65535 with protocol TCP or UDP`,
        { reason: invalidReason, target: `networkProfile.allowedHostPorts[${i}]` },
      );
    }
    return range;
  });
}

function validAgentPoolRange(r: AgentPoolPortRange): HostPortRange | undefined {
  const protocol = r.protocol === undefined ? undefined : protocolOf(r.protocol);
  const { portStart: start, portEnd: end } = r;
  if (protocol === undefined || start === undefined || end === undefined) return undefined;
  if (!isPort(start) || !isPort(end) || start > end) return undefined;
  return { start, end, protocol };
}

/** True when the union of `ranges` of `protocol` contains every port of `interval`. */
export function covers(
  ranges: readonly HostPortRange[],
  protocol: Protocol,
  interval: PortInterval,
): boolean {
  const sorted = ranges.filter((r) => r.protocol === protocol).sort((a, b) => a.start - b.start);
  let next = interval.start; // the first port not yet known to be covered
  for (const r of sorted) {
    if (r.start > next) break;
    next = Math.max(next, r.end + 1);
    if (next > interval.end) return true;
  }
  return next > interval.end;
}

/**
 * The allowed host ports a pool needs so that auto-assigned pods on it are reachable: everything the
 * user set, kept as it is (entries ARM returned that we cannot read are kept too), plus
 * `40000-59999` for each protocol whose range is not already covered (overlaps are allowed, and a
 * wider user range or several adjacent ones count). Returns undefined when nothing needs to change.
 */
export function planAllowedHostPorts(
  current: readonly AgentPoolPortRange[] | undefined,
  range: PortInterval = autoAssignRange,
): AgentPoolPortRange[] | undefined {
  const existing = current ?? [];
  const valid = existing.map(validAgentPoolRange).filter((r): r is HostPortRange => r !== undefined);
  const missing = (['TCP', 'UDP'] as const).filter((p) => !covers(valid, p, range));
  if (missing.length === 0) return undefined;
  return [
    ...existing.map((r) => ({ ...r })),
    ...missing.map((protocol) => ({ portStart: range.start, portEnd: range.end, protocol })),
  ];
}
