import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch,
  diffJsonPatch,
  escapePointerToken,
  JsonPatchError,
  pointer,
  unescapePointerToken,
  type JsonPatchOperation,
} from '../../shared/util/json-patch.js';

describe('JSON Pointer escaping (RFC 6901)', () => {
  it.each([
    ['plain', 'plain'],
    ['a/b', 'a~1b'],
    ['m~n', 'm~0n'],
    ['~1', '~01'],
    [
      'kubernetes.azure.com/assign-hostports-for-containerports',
      'kubernetes.azure.com~1assign-hostports-for-containerports',
    ],
    ['', ''],
  ])('escapes %j as %j and back', (token, escaped) => {
    expect(escapePointerToken(token)).toBe(escaped);
    expect(unescapePointerToken(escaped)).toBe(token);
  });

  it('builds pointers from tokens', () => {
    expect(pointer(['metadata', 'annotations', 'a/b~c'])).toBe('/metadata/annotations/a~1b~0c');
    expect(pointer(['spec', 'containers', 0])).toBe('/spec/containers/0');
  });
});

describe('diffJsonPatch', () => {
  it.each<[string, unknown, unknown, JsonPatchOperation[]]>([
    ['equal documents', { a: [1, { b: null }] }, { a: [1, { b: null }] }, []],
    ['an added member', { a: 1 }, { a: 1, b: { c: 2 } }, [{ op: 'add', path: '/b', value: { c: 2 } }]],
    ['a removed member', { a: 1, b: 2 }, { a: 1 }, [{ op: 'remove', path: '/b' }]],
    ['a changed scalar', { a: { b: 1 } }, { a: { b: 2 } }, [{ op: 'replace', path: '/a/b', value: 2 }]],
    ['a null that becomes a value', { a: null }, { a: 0 }, [{ op: 'replace', path: '/a', value: 0 }]],
    [
      'member names with / and ~',
      { 'x/y': 1 },
      { 'x/y': 2, '~z': 3 },
      [
        { op: 'replace', path: '/x~1y', value: 2 },
        { op: 'add', path: '/~0z', value: 3 },
      ],
    ],
    [
      'an appended element',
      { l: [1] },
      { l: [1, 2, 3] },
      [
        { op: 'add', path: '/l/-', value: 2 },
        { op: 'add', path: '/l/-', value: 3 },
      ],
    ],
    [
      'a shortened array (removed from the end)',
      { l: [1, 2, 3] },
      { l: [1] },
      [
        { op: 'remove', path: '/l/2' },
        { op: 'remove', path: '/l/1' },
      ],
    ],
    [
      'an edited element in place',
      { l: [{ p: 1 }, { p: 2 }] },
      { l: [{ p: 1 }, { p: 2, h: 9 }] },
      [{ op: 'add', path: '/l/1/h', value: 9 }],
    ],
    [
      'an object that becomes an array',
      { a: { b: 1 } },
      { a: [1] },
      [{ op: 'replace', path: '/a', value: [1] }],
    ],
    ['a different root scalar', 1, 2, [{ op: 'replace', path: '', value: 2 }]],
    ['members whose value is undefined (absent in JSON)', { a: 1, u: undefined }, { a: 1, v: undefined }, []],
  ])('diffs %s', (_name, from, to, expected) => {
    const patch = diffJsonPatch(from, to);
    expect(patch).toEqual(expected);
    expect(applyJsonPatch(from, patch)).toEqual(JSON.parse(JSON.stringify(to)));
  });

  it('does not share values with the target document', () => {
    const to = { a: { b: [1] } };
    const patch = diffJsonPatch({}, to);
    to.a.b.push(2);
    expect(patch).toEqual([{ op: 'add', path: '/a', value: { b: [1] } }]);
  });

  /** A small deterministic generator: the same documents on every run. */
  function generator(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }

  function randomJson(next: () => number, depth: number): unknown {
    const pick = next();
    if (depth === 0 || pick < 0.3) return [null, true, 1, 'x', 'a/b', 2.5][Math.floor(next() * 6)];
    if (pick < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => randomJson(next, depth - 1));
    const keys = ['a', 'b', 'c/d', 'e~f', ''];
    return Object.fromEntries(keys.filter(() => next() < 0.5).map((k) => [k, randomJson(next, depth - 1)]));
  }

  it('turns any of 500 generated documents into any other when applied', () => {
    const next = generator(20261122);
    for (let i = 0; i < 500; i++) {
      const from = randomJson(next, 4);
      const to = randomJson(next, 4);
      expect(applyJsonPatch(from, diffJsonPatch(from, to))).toEqual(to);
    }
  });
});

describe('applyJsonPatch (RFC 6902 appendix A)', () => {
  it.each<[string, unknown, JsonPatchOperation[], unknown]>([
    [
      'adds an object member',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux' }],
      { foo: 'bar', baz: 'qux' },
    ],
    [
      'adds an array element',
      { foo: ['bar', 'baz'] },
      [{ op: 'add', path: '/foo/1', value: 'qux' }],
      { foo: ['bar', 'qux', 'baz'] },
    ],
    [
      'removes an object member',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'remove', path: '/baz' }],
      { foo: 'bar' },
    ],
    [
      'removes an array element',
      { foo: ['bar', 'qux', 'baz'] },
      [{ op: 'remove', path: '/foo/1' }],
      { foo: ['bar', 'baz'] },
    ],
    [
      'replaces a value',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'replace', path: '/baz', value: 'boo' }],
      { baz: 'boo', foo: 'bar' },
    ],
    [
      'moves a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'moves an array element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'tests values',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    [
      'adds a nested member object',
      { foo: 'bar' },
      [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } },
    ],
    [
      'compares escaped names',
      { '/': 9, '~1': 10 },
      [{ op: 'test', path: '/~01', value: 10 }],
      { '/': 9, '~1': 10 },
    ],
    [
      'adds an array value',
      { foo: ['bar'] },
      [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
      { foo: ['bar', ['abc', 'def']] },
    ],
    [
      'copies a value',
      { a: { b: 1 } },
      [{ op: 'copy', from: '/a', path: '/c' }],
      { a: { b: 1 }, c: { b: 1 } },
    ],
    ['replaces the whole document', { a: 1 }, [{ op: 'replace', path: '', value: [1] }], [1]],
  ])('%s', (_name, doc, patch, expected) => {
    const before = structuredClone(doc);
    expect(applyJsonPatch(doc, patch)).toEqual(expected);
    expect(doc).toEqual(before);
  });

  it.each<[string, unknown, JsonPatchOperation[], string]>([
    [
      'a test that fails',
      { baz: 'qux' },
      [{ op: 'test', path: '/baz', value: 'bar' }],
      "test failed at '/baz'",
    ],
    [
      'adding under a missing parent',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz/bat', value: 'qux' }],
      "path '/baz/bat' does not exist",
    ],
    [
      'removing a missing member',
      { foo: 'bar' },
      [{ op: 'remove', path: '/baz' }],
      "path '/baz' does not exist",
    ],
    [
      'replacing a missing member',
      { foo: 'bar' },
      [{ op: 'replace', path: '/baz', value: 1 }],
      "path '/baz' does not exist",
    ],
    [
      'an index past the end',
      { l: [1] },
      [{ op: 'add', path: '/l/2', value: 1 }],
      "index 2 in '/l/2' is out of bounds (length 1)",
    ],
    [
      'an index with a leading zero',
      { l: [1, 2] },
      [{ op: 'remove', path: '/l/01' }],
      "'01' in '/l/01' is not an array index",
    ],
    ['"-" outside add', { l: [1] }, [{ op: 'remove', path: '/l/-' }], "'-' in '/l/-' is not an array index"],
    [
      'a path without a leading slash',
      { a: 1 },
      [{ op: 'remove', path: 'a' }],
      "path 'a' must be empty or start with /",
    ],
    [
      'moving a value into its own child',
      { a: { b: 1 } },
      [{ op: 'move', from: '/a', path: '/a/b/c' }],
      "cannot move '/a' into its own child",
    ],
  ])('refuses %s', (_name, doc, patch, message) => {
    expect(() => applyJsonPatch(doc, patch)).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, patch)).toThrow(message);
  });

  it('names the failing operation', () => {
    try {
      applyJsonPatch({ a: 1 }, [
        { op: 'add', path: '/b', value: 2 },
        { op: 'remove', path: '/c' },
      ]);
      expect.unreachable();
    } catch (error) {
      expect((error as JsonPatchError).operationIndex).toBe(1);
    }
  });
});
