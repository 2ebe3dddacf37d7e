/**
 * IPv4 addresses, CIDR blocks and ranges as unsigned 32-bit numbers. Target firewalls speak three
 * dialects (bare IP or CIDR, start/end pairs, CIDR with /32 appended on read), so every comparison
 * goes through a canonical range; `rangeKey` is the one string we store and compare.
 *
 * IPv6 is recognised only to be set aside: the firewalls we write are IPv4-only (ADR 0052).
 */

/** An inclusive range of IPv4 addresses, as unsigned 32-bit integers. */
export interface IpRange {
  readonly start: number;
  readonly end: number;
}

export type ParsedRange =
  | { readonly ok: true; readonly range: IpRange; readonly normalised: boolean }
  | { readonly ok: false; readonly reason: string };

const octet = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(value: string): number | undefined {
  const parts = value.trim().split('.');
  if (parts.length !== 4 || parts.some((p) => !octet.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function isIpv6Literal(value: string): boolean {
  const host = value.trim().split('/')[0] ?? '';
  return host.includes(':') && /^[0-9a-f:.]+$/i.test(host);
}

function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** `a.b.c.d` or `a.b.c.d/n`. Host bits set under the mask are cleared and reported as `normalised`. */
export function parseIpv4Cidr(value: string): ParsedRange {
  const text = value.trim();
  if (isIpv6Literal(text)) return { ok: false, reason: `'${value}' is IPv6; only IPv4 rules are written` };
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined) return { ok: false, reason: `'${value}' is not an IPv4 address or CIDR` };
  const ip = parseIpv4(address ?? '');
  if (ip === undefined) return { ok: false, reason: `'${value}' is not an IPv4 address or CIDR` };
  if (prefixText === undefined) return { ok: true, range: { start: ip, end: ip }, normalised: false };
  if (!/^(3[0-2]|[12]?\d)$/.test(prefixText)) {
    return { ok: false, reason: `'${value}' has an invalid prefix length (0-32)` };
  }
  const size = blockSize(Number(prefixText));
  const start = ip - (ip % size);
  return { ok: true, range: { start, end: start + size - 1 }, normalised: start !== ip };
}

/** Parses `start` and `end` addresses (SQL, PostgreSQL, MySQL and Redis rules). */
export function parseIpv4StartEnd(start: string, end: string): ParsedRange {
  const a = parseIpv4(start);
  const b = parseIpv4(end);
  if (a === undefined || b === undefined) {
    return { ok: false, reason: `'${start}'-'${end}' is not a pair of IPv4 addresses` };
  }
  if (a > b) return { ok: false, reason: `'${start}' comes after '${end}'` };
  return { ok: true, range: { start: a, end: b }, normalised: false };
}

/** The prefix length when the range is exactly one CIDR block, else undefined. */
export function cidrPrefix(range: IpRange): number | undefined {
  const size = range.end - range.start + 1;
  const prefix = 32 - Math.log2(size);
  if (!Number.isInteger(prefix) || range.start % size !== 0) return undefined;
  return prefix;
}

/** `a.b.c.d/n` for a CIDR block, `a.b.c.d-e.f.g.h` for any other range. Stored and compared. */
export function rangeKey(range: IpRange): string {
  const prefix = cidrPrefix(range);
  return prefix === undefined
    ? `${formatIpv4(range.start)}-${formatIpv4(range.end)}`
    : `${formatIpv4(range.start)}/${prefix}`;
}

/** Parses what `rangeKey` produced. */
export function parseRangeKey(key: string): IpRange | undefined {
  const dash = key.indexOf('-');
  const parsed = dash > 0 ? parseIpv4StartEnd(key.slice(0, dash), key.slice(dash + 1)) : parseIpv4Cidr(key);
  return parsed.ok ? parsed.range : undefined;
}

export function rangeContains(outer: IpRange, inner: IpRange): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function sameRange(a: IpRange, b: IpRange): boolean {
  return a.start === b.start && a.end === b.end;
}

export function rangeSize(range: IpRange): number {
  return range.end - range.start + 1;
}

/** The single addresses of a small range, e.g. to write a /31 as two bare IPs. */
export function rangeAddresses(range: IpRange, max = 256): IpRange[] {
  if (rangeSize(range) > max) throw new Error(`rangeAddresses: ${rangeKey(range)} is larger than ${max}`);
  const out: IpRange[] = [];
  for (let ip = range.start; ip <= range.end; ip += 1) out.push({ start: ip, end: ip });
  return out;
}

export function startEndStrings(range: IpRange): { start: string; end: string } {
  return { start: formatIpv4(range.start), end: formatIpv4(range.end) };
}

/** Blocks that are not routable on the internet (RFC 6890 special-purpose IPv4 registry). */
const nonPublicBlocks: readonly IpRange[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
].map((block) => {
  const parsed = parseIpv4Cidr(block);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.range;
});

/** True when no address of the range falls in a private, shared, loopback or reserved block. */
export function isPublicRange(range: IpRange): boolean {
  return !nonPublicBlocks.some((block) => block.start <= range.end && range.start <= block.end);
}

/** Sorts by start, then by size (larger first), for deterministic output. */
export function compareRanges(a: IpRange, b: IpRange): number {
  return a.start - b.start || b.end - a.end;
}
