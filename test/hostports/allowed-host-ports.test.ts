import { describe, expect, it } from 'vitest';
import {
  covers,
  formatAllowedHostPorts,
  fromAgentPoolPortRanges,
  parseAllowedHostPorts,
  planAllowedHostPorts,
  toAgentPoolPortRanges,
  type AgentPoolPortRange,
} from '../../shared/hostports/allowed-host-ports.js';
import { TerminalError } from '../../shared/errors/index.js';

function thrown(f: () => unknown): TerminalError {
  try {
    f();
  } catch (error) {
    if (error instanceof TerminalError) return error;
    throw error;
  }
  throw new Error('expected a TerminalError');
}

describe('parseAllowedHostPorts', () => {
  it.each([
    ['a single port', '80/tcp', [{ start: 80, end: 80, protocol: 'TCP' }]],
    [
      'two ports',
      '80/tcp,443/tcp',
      [
        { start: 80, end: 80, protocol: 'TCP' },
        { start: 443, end: 443, protocol: 'TCP' },
      ],
    ],
    [
      'mixed protocols',
      '53/udp,80/tcp',
      [
        { start: 53, end: 53, protocol: 'UDP' },
        { start: 80, end: 80, protocol: 'TCP' },
      ],
    ],
    ['a range', '50000-60000/tcp', [{ start: 50000, end: 60000, protocol: 'TCP' }]],
    [
      "the seed's full example",
      '80/tcp,443/tcp,53/udp,40000-60000/tcp,40000-50000/udp',
      [
        { start: 80, end: 80, protocol: 'TCP' },
        { start: 443, end: 443, protocol: 'TCP' },
        { start: 53, end: 53, protocol: 'UDP' },
        { start: 40000, end: 60000, protocol: 'TCP' },
        { start: 40000, end: 50000, protocol: 'UDP' },
      ],
    ],
    [
      'upper-case protocols',
      '80/TCP,53/Udp',
      [
        { start: 80, end: 80, protocol: 'TCP' },
        { start: 53, end: 53, protocol: 'UDP' },
      ],
    ],
    ['the edges of the port space', '1-65535/udp', [{ start: 1, end: 65535, protocol: 'UDP' }]],
    ['a one-port range', '7000-7000/tcp', [{ start: 7000, end: 7000, protocol: 'TCP' }]],
    ['an empty string, which clears the list as the CLI does', '', []],
  ])('reads %s', (_name, spec, expected) => {
    expect(parseAllowedHostPorts(spec)).toEqual(expected);
  });

  it.each([
    [
      'a word',
      '80/tcp,http',
      "Allowed host ports '80/tcp,http': entry 'http' is not port/protocol or start-end/protocol (e.g. 80/tcp, 40000-59999/udp)",
      'http',
    ],
    ['a port without protocol', '80', "entry '80' is not port/protocol or start-end/protocol", '80'],
    ['an unknown protocol', '80/sctp', "entry '80/sctp' has protocol 'sctp': use tcp or udp", '80/sctp'],
    ['port zero', '0/tcp', "entry '0/tcp' has port 0, outside 1-65535", '0/tcp'],
    [
      'a port above 65535',
      '443/tcp,65536/udp',
      "entry '65536/udp' has port 65536, outside 1-65535",
      '65536/udp',
    ],
    [
      'a range ending above 65535',
      '60000-70000/tcp',
      "entry '60000-70000/tcp' has port 70000, outside 1-65535",
      '60000-70000/tcp',
    ],
    [
      'a reversed range',
      '60000-40000/tcp',
      "entry '60000-40000/tcp' starts at 60000, after its end 40000",
      '60000-40000/tcp',
    ],
    [
      'a space after a comma',
      '80/tcp, 443/tcp',
      "entry ' 443/tcp' contains whitespace: the list is comma-separated with no spaces",
      ' 443/tcp',
    ],
    ['a space inside an entry', '80 /tcp', "entry '80 /tcp' contains whitespace", '80 /tcp'],
    ['a negative port', '-1/tcp', "entry '-1/tcp' is not port/protocol", '-1/tcp'],
    ['an open range', '40000-/tcp', "entry '40000-/tcp' is not port/protocol", '40000-/tcp'],
  ])('refuses %s, quoting the entry', (_name, spec, message, target) => {
    const error = thrown(() => parseAllowedHostPorts(spec));
    expect(error.reason).toBe('InvalidAllowedHostPorts');
    expect(error.message).toContain(message);
    expect(error.target).toBe(target);
  });

  it.each([
    ['two commas in a row', '80/tcp,,443/tcp', 'entry 2 is empty'],
    ['a trailing comma', '80/tcp,', 'entry 2 is empty'],
    ['a leading comma', ',80/tcp', 'entry 1 is empty'],
  ])('refuses %s as an empty entry', (_name, spec, message) => {
    const error = thrown(() => parseAllowedHostPorts(spec));
    expect(error.reason).toBe('InvalidAllowedHostPorts');
    expect(error.message).toBe(
      `Allowed host ports '${spec}': ${message} (two commas in a row, or a comma at an end)`,
    );
  });
});

describe('formatAllowedHostPorts', () => {
  it.each([['80/tcp'], ['80/tcp,443/tcp,53/udp,40000-60000/tcp,40000-50000/udp'], ['1-65535/udp'], ['']])(
    'writes back what it read: %s',
    (spec) => {
      expect(formatAllowedHostPorts(parseAllowedHostPorts(spec))).toBe(spec);
    },
  );

  it('writes protocols in lower case and single-port ranges as one port', () => {
    expect(formatAllowedHostPorts(parseAllowedHostPorts('53/UDP,7000-7000/TCP'))).toBe('53/udp,7000/tcp');
  });
});

describe('agent pool PortRange conversion', () => {
  it('turns parsed ranges into the ARM shape with upper-case protocols', () => {
    expect(toAgentPoolPortRanges(parseAllowedHostPorts('80/tcp,40000-59999/udp'))).toEqual([
      { portStart: 80, portEnd: 80, protocol: 'TCP' },
      { portStart: 40000, portEnd: 59999, protocol: 'UDP' },
    ]);
  });

  it('reads what ARM returns, whatever the protocol case', () => {
    expect(fromAgentPoolPortRanges([{ portStart: 53, portEnd: 53, protocol: 'udp' }])).toEqual([
      { start: 53, end: 53, protocol: 'UDP' },
    ]);
    expect(fromAgentPoolPortRanges(undefined)).toEqual([]);
  });

  it.each([
    ['a missing protocol', { portStart: 80, portEnd: 80 }],
    ['a missing end', { portStart: 80, protocol: 'TCP' }],
    ['a reversed range', { portStart: 90, portEnd: 80, protocol: 'TCP' }],
    ['an unknown protocol', { portStart: 80, portEnd: 80, protocol: 'SCTP' }],
  ])('names the entry when ARM returns %s', (_name, range: AgentPoolPortRange) => {
    const error = thrown(() =>
      fromAgentPoolPortRanges([{ portStart: 1, portEnd: 2, protocol: 'TCP' }, range]),
    );
    expect(error.target).toBe('networkProfile.allowedHostPorts[1]');
    expect(error.message).toContain(JSON.stringify(range));
  });
});

describe('covers', () => {
  const range = { start: 40000, end: 59999 };
  it.each([
    ['the exact range', '40000-59999/tcp', true],
    ['a wider range', '30000-65535/tcp', true],
    ['adjacent ranges', '40000-49999/tcp,50000-59999/tcp', true],
    ['overlapping ranges in any order', '45000-59999/tcp,40000-46000/tcp', true],
    ['ranges with a one-port gap', '40000-49999/tcp,50001-59999/tcp', false],
    ['a range of the other protocol', '40000-59999/udp', false],
    ['a range stopping one short', '40000-59998/tcp', false],
    ['nothing', '', false],
  ])('%s: %s', (_name, spec, expected) => {
    expect(covers(parseAllowedHostPorts(spec), 'TCP', range)).toBe(expected);
  });
});

describe('planAllowedHostPorts', () => {
  const tcp = { portStart: 40000, portEnd: 59999, protocol: 'TCP' };
  const udp = { portStart: 40000, portEnd: 59999, protocol: 'UDP' };

  it.each([
    ['a pool without allowed host ports', undefined, [tcp, udp]],
    ['a pool with an empty list', [], [tcp, udp]],
    [
      'a pool with user ports, keeping them first and unchanged',
      [
        { portStart: 80, portEnd: 80, protocol: 'TCP' },
        { portStart: 53, portEnd: 53, protocol: 'UDP' },
      ],
      [
        { portStart: 80, portEnd: 80, protocol: 'TCP' },
        { portStart: 53, portEnd: 53, protocol: 'UDP' },
        tcp,
        udp,
      ],
    ],
    [
      "the seed's pool: TCP covered by 40000-60000, UDP only up to 50000",
      toAgentPoolPortRanges(parseAllowedHostPorts('80/tcp,443/tcp,53/udp,40000-60000/tcp,40000-50000/udp')),
      [
        ...toAgentPoolPortRanges(
          parseAllowedHostPorts('80/tcp,443/tcp,53/udp,40000-60000/tcp,40000-50000/udp'),
        ),
        udp,
      ],
    ],
    [
      'a pool whose entries ARM returns in lower case and one we cannot read',
      [
        { portStart: 40000, portEnd: 59999, protocol: 'tcp' },
        { portStart: 9, protocol: 'SCTP' },
      ],
      [{ portStart: 40000, portEnd: 59999, protocol: 'tcp' }, { portStart: 9, protocol: 'SCTP' }, udp],
    ],
  ])('adds what is missing for %s', (_name, current: AgentPoolPortRange[] | undefined, expected) => {
    expect(planAllowedHostPorts(current)).toEqual(expected);
  });

  it.each([
    ['exactly the range for both protocols', [tcp, udp]],
    ['wider user ranges', toAgentPoolPortRanges(parseAllowedHostPorts('1-65535/tcp,30000-60000/udp'))],
    [
      'adjacent user ranges',
      toAgentPoolPortRanges(parseAllowedHostPorts('40000-49999/tcp,50000-59999/tcp,40000-59999/udp')),
    ],
  ])('changes nothing when covered by %s', (_name, current) => {
    expect(planAllowedHostPorts(current)).toBeUndefined();
  });

  it('does not change the list it was given', () => {
    const current = [{ portStart: 80, portEnd: 80, protocol: 'TCP' }];
    const before = structuredClone(current);
    const planned = planAllowedHostPorts(current);
    expect(current).toEqual(before);
    expect(planned?.[0]).not.toBe(current[0]);
  });

  it('makes a list that is then covered (planning twice converges)', () => {
    expect(
      planAllowedHostPorts(planAllowedHostPorts([{ portStart: 40000, portEnd: 45000, protocol: 'UDP' }])),
    ).toBeUndefined();
  });
});
