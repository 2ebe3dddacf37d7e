import { describe, expect, it } from 'vitest';
import { clusterIdOfKey, clusterKey, decodeKey, encodeKey, nameKey } from '../../shared/store/table-keys.js';
import { chunkChars, readChunks, writeChunks } from '../../shared/store/chunked.js';

const cluster =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG-Aks/providers/Microsoft.ContainerService/managedClusters/aks1';

describe('table keys', () => {
  it('turn a cluster id into a readable, case-insensitive key', () => {
    expect(clusterKey(cluster)).toBe(
      'subscriptions|00000000-0000-0000-0000-000000000001|resourcegroups|rg-aks|providers|microsoft.containerservice|managedclusters|aks1',
    );
    expect(clusterKey(cluster.toUpperCase())).toBe(clusterKey(`${cluster}/`));
    expect(clusterIdOfKey(clusterKey(cluster))).toBe(cluster.toLowerCase());
  });

  it.each([
    ['a backslash', 'a\\b'],
    ['a hash', 'a#b'],
    ['a question mark', 'a?b'],
    ['our escape characters', 'a|b~c%d'],
    ['control characters', 'a\u0000b\u001fc\u007fd\u009fe'],
    ['non-ASCII letters', 'rg-données-ß'],
    ['an escape sequence lookalike', '~007c'],
  ])('encode %s reversibly, without forbidden characters', (_name, text) => {
    const key = encodeKey(text);
    expect(decodeKey(key)).toBe(text);
    const forbidden = [...key].filter((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return '/\\#?'.includes(ch) || code <= 0x1f || (code >= 0x7f && code <= 0x9f);
    });
    expect(forbidden).toEqual([]);
  });

  it('lower-case names, which never need escaping', () => {
    expect(nameKey('My_Conn-1.x')).toBe('my_conn-1.x');
  });
});

describe('chunked properties', () => {
  it.each([
    ['empty text', ''],
    ['text of exactly one chunk', 'x'.repeat(chunkChars)],
    ['text over several chunks', 'ab'.repeat(chunkChars)],
  ])('round-trip %s', (_name, text) => {
    const entity: Record<string, unknown> = {};
    writeChunks(entity, 'spec', text, 10 * chunkChars);
    expect(readChunks(entity, 'spec')).toBe(text);
    expect(Object.values(entity).every((v) => typeof v !== 'string' || v.length <= chunkChars)).toBe(true);
  });

  it('refuses text over the budget', () => {
    expect(() => writeChunks({}, 'spec', 'x'.repeat(11), 10)).toThrow(/at most 10/);
  });

  it('notices a missing chunk', () => {
    const entity: Record<string, unknown> = {};
    writeChunks(entity, 'spec', 'x'.repeat(chunkChars + 1), 10 * chunkChars);
    delete entity['spec1'];
    expect(() => readChunks(entity, 'spec')).toThrow(/incomplete/);
  });
});
