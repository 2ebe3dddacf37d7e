/**
 * Hands out public IPv4 addresses and prefixes the way Azure's regional pools do, from ranges the
 * emulator owns (sequential, never reused within a run, so a replaced IP really changes).
 */
import { formatIpv4, parseIpv4 } from '../shared/ip.js';

const addressBase = parseIpv4('20.64.0.0') as number;
const prefixBase = parseIpv4('20.96.0.0') as number;

export class IpAllocator {
  private nextAddress = 1;
  private nextPrefix = 0;

  address(): string {
    const n = this.nextAddress++;
    // Skip the network and broadcast-looking addresses of each /24 for readability.
    const offset = n + 2 * Math.floor(n / 254);
    return formatIpv4(addressBase + offset + 1);
  }

  /** An aligned block of `2^(32-length)` addresses, e.g. `20.96.0.16/28`. */
  prefix(length: number): string {
    const size = 2 ** (32 - length);
    const start = Math.ceil((prefixBase + this.nextPrefix) / size) * size;
    this.nextPrefix = start - prefixBase + size;
    return `${formatIpv4(start)}/${length}`;
  }

  reset(): void {
    this.nextAddress = 1;
    this.nextPrefix = 0;
  }
}

/** The n-th address of a prefix (`20.96.0.16/28`, 2 → `20.96.0.18`). */
export function addressInPrefix(prefix: string, index: number): string | undefined {
  const [base, length] = prefix.split('/');
  const start = parseIpv4(base ?? '');
  const size = 2 ** (32 - Number(length));
  if (start === undefined || index < 0 || index >= size) return undefined;
  return formatIpv4(start + index);
}
