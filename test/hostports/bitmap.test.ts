import { describe, expect, it } from 'vitest';
import {
  blockCapacity,
  countFree,
  emptyBits,
  isSet,
  layoutOf,
  locatePort,
  pickFreeBits,
  portAt,
  setBitsOf,
  withBits,
} from '../../shared/hostports/bitmap.js';

describe('block layout', () => {
  it.each([
    ['the auto-assignment range', 40000, 59999, 200, 100],
    ['a range with a partial last block', 40000, 40249, 3, 50],
    ['a one-port range', 40000, 40000, 1, 1],
  ])('splits %s into blocks', (_name, start, end, blocks, lastCapacity) => {
    const layout = layoutOf({ start, end });
    expect(layout.blockCount).toBe(blocks);
    expect(blockCapacity(layout, blocks - 1)).toBe(lastCapacity);
  });

  it.each([
    [40000, { index: 0, bit: 0 }],
    [40099, { index: 0, bit: 99 }],
    [40100, { index: 1, bit: 0 }],
    [59999, { index: 199, bit: 99 }],
    [39999, undefined],
    [60000, undefined],
  ])('locates port %d', (port, expected) => {
    const layout = layoutOf({ start: 40000, end: 59999 });
    expect(locatePort(layout, port)).toEqual(expected);
    if (expected !== undefined) expect(portAt(layout, expected.index, expected.bit)).toBe(port);
  });

  it.each([
    [{ start: 0, end: 10 }, 'must lie within 1-65535'],
    [{ start: 10, end: 5 }, 'is empty'],
  ])('refuses the range %j', (range, message) => {
    expect(() => layoutOf(range)).toThrow(message);
  });
});

describe('bits', () => {
  it('sets, clears and counts bits without changing the input', () => {
    const empty = emptyBits();
    const bits = withBits(empty, [0, 7, 8, 99], []);
    expect(setBitsOf(bits, 100)).toEqual([0, 7, 8, 99]);
    expect(countFree(bits, 100)).toBe(96);
    expect(setBitsOf(withBits(bits, [], [7]), 100)).toEqual([0, 8, 99]);
    expect(isSet(empty, 0)).toBe(false);
  });

  it('picks only free bits, as many as asked or as there are', () => {
    const bits = withBits(emptyBits(), [1, 2, 3], []);
    const picked = pickFreeBits(bits, 5, 10, () => 0.5);
    expect(picked.sort()).toEqual([0, 4]);
    expect(pickFreeBits(withBits(emptyBits(), [0, 1, 2, 3, 4], []), 5, 1, Math.random)).toEqual([]);
  });

  it('starts its scan where the random number points', () => {
    expect(pickFreeBits(emptyBits(), 100, 2, () => 0.5)).toEqual([50, 51]);
    expect(pickFreeBits(emptyBits(), 100, 2, () => 0.999)).toEqual([99, 0]);
  });
});
