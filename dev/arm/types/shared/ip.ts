/** IPv4 parsing and the address classes Azure firewall rules refuse. */

export function parseIpv4(value: string): number | undefined {
  const parts = value.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export interface Ipv4Range {
  readonly address: number;
  readonly prefix: number;
}

/** `a.b.c.d` or `a.b.c.d/n`; undefined when malformed. */
export function parseIpv4OrCidr(value: string): Ipv4Range | undefined {
  const [addr, prefixText, extra] = value.trim().split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const address = parseIpv4(addr);
  if (address === undefined) return undefined;
  if (prefixText === undefined) return { address, prefix: 32 };
  if (!/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix > 32 ? undefined : { address, prefix };
}

const nonPublic: readonly [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function inRange(address: number, base: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  const start = parseIpv4(base) as number;
  return address >= start && address < start + size;
}

/** Public = not RFC 1918, loopback, link-local, shared (RFC 6598), multicast or reserved. */
export function isPublicIpv4(address: number): boolean {
  return !nonPublic.some(([base, prefix]) => inRange(address, base, prefix));
}

export function isIpv4Text(value: string): boolean {
  return parseIpv4(value) !== undefined;
}
