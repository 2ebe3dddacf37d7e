/**
 * The allocation bitmap of one protocol's range, split into blocks of `blockSize` ports; each block
 * is one store entity (its own ETag), so concurrent allocations conflict only when they pick the
 * same block. Pure functions over `Uint8Array`s; bit i of a block is port `start + index*size + i`.
 */
import type { PortInterval } from './types.js';

/** 100 ports per block: 200 blocks for 20,000 ports, 13 bytes of bits each. See ADR 0040. */
export const blockSize = 100;
const blockBytes = Math.ceil(blockSize / 8);

export interface RangeLayout {
  readonly start: number;
  readonly end: number;
  readonly blockCount: number;
}

export function layoutOf(range: PortInterval): RangeLayout {
  if (
    !Number.isInteger(range.start) ||
    !Number.isInteger(range.end) ||
    range.start < 1 ||
    range.end > 65535
  ) {
    throw new Error(`host-port range ${range.start}-${range.end} must lie within 1-65535`);
  }
  if (range.start > range.end) throw new Error(`host-port range ${range.start}-${range.end} is empty`);
  return { ...range, blockCount: Math.ceil((range.end - range.start + 1) / blockSize) };
}

export function rangeSize(layout: RangeLayout): number {
  return layout.end - layout.start + 1;
}

/** How many ports block `index` holds (the last block may be partial). */
export function blockCapacity(layout: RangeLayout, index: number): number {
  return Math.min(blockSize, rangeSize(layout) - index * blockSize);
}

export function locatePort(layout: RangeLayout, port: number): { index: number; bit: number } | undefined {
  if (!Number.isInteger(port) || port < layout.start || port > layout.end) return undefined;
  const offset = port - layout.start;
  return { index: Math.floor(offset / blockSize), bit: offset % blockSize };
}

export function portAt(layout: RangeLayout, index: number, bit: number): number {
  return layout.start + index * blockSize + bit;
}

export function emptyBits(): Uint8Array {
  return new Uint8Array(blockBytes);
}

/** A copy sized for one block (stored values from older or foreign writers are padded or cut). */
export function normalizeBits(bits: Uint8Array | undefined): Uint8Array {
  const out = emptyBits();
  if (bits !== undefined) out.set(bits.subarray(0, blockBytes));
  return out;
}

export function isSet(bits: Uint8Array, bit: number): boolean {
  return ((bits[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0;
}

export function withBits(bits: Uint8Array, set: readonly number[], clear: readonly number[]): Uint8Array {
  const out = normalizeBits(bits);
  for (const bit of clear) out[bit >> 3] = (out[bit >> 3] ?? 0) & ~(1 << (bit & 7));
  for (const bit of set) out[bit >> 3] = (out[bit >> 3] ?? 0) | (1 << (bit & 7));
  return out;
}

export function setBitsOf(bits: Uint8Array, capacity: number): number[] {
  const out: number[] = [];
  for (let bit = 0; bit < capacity; bit++) if (isSet(bits, bit)) out.push(bit);
  return out;
}

export function countFree(bits: Uint8Array, capacity: number): number {
  let taken = 0;
  for (let bit = 0; bit < capacity; bit++) if (isSet(bits, bit)) taken++;
  return capacity - taken;
}

/**
 * Up to `n` free bits, starting the scan at a random bit and wrapping, so that concurrent writers
 * and freshly freed ports spread over the block. Bounded by the block size, never by the range.
 */
export function pickFreeBits(bits: Uint8Array, capacity: number, n: number, random: () => number): number[] {
  const picked: number[] = [];
  const first = Math.floor(random() * capacity);
  for (let step = 0; step < capacity && picked.length < n; step++) {
    const bit = (first + step) % capacity;
    if (!isSet(bits, bit)) picked.push(bit);
  }
  return picked;
}
