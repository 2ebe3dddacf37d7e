import { describe, expect, it } from 'vitest';
import {
  formatIpv4,
  isPublicRange,
  parseIpv4Cidr,
  parseIpv4StartEnd,
  parseRangeKey,
  rangeContains,
  rangeKey,
} from '../../shared/util/ip.js';
import { CONNECTOR_NAMESPACE, URL_NAMESPACE, isUuid, uuidv5 } from '../../shared/util/uuid.js';

const r = (value: string) => {
  const parsed = parseIpv4Cidr(value);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.range;
};

describe('IPv4 ranges', () => {
  it.each([
    ['a bare address', '20.1.2.3', '20.1.2.3/32', false],
    ['a /32', '20.1.2.3/32', '20.1.2.3/32', false],
    ['a CIDR block', '20.1.2.0/28', '20.1.2.0/28', false],
    ['a CIDR with host bits, normalised', '20.1.2.9/28', '20.1.2.0/28', true],
    ['the whole space', '0.0.0.0/0', '0.0.0.0/0', false],
  ])('parses %s', (_name, value, key, normalised) => {
    const parsed = parseIpv4Cidr(value);
    expect(parsed.ok && rangeKey(parsed.range)).toBe(key);
    expect(parsed.ok && parsed.normalised).toBe(normalised);
  });

  it.each([
    ['an IPv6 address', '2603:1020::10'],
    ['an octet above 255', '20.1.2.256'],
    ['a prefix of 33', '20.1.2.3/33'],
    ['text', 'office'],
  ])('refuses %s', (_name, value) => {
    expect(parseIpv4Cidr(value).ok).toBe(false);
  });

  it('keys a start/end range that is not one block as start-end, and reads it back', () => {
    const parsed = parseIpv4StartEnd('20.1.2.3', '20.1.2.9');
    expect(parsed.ok && rangeKey(parsed.range)).toBe('20.1.2.3-20.1.2.9');
    expect(parsed.ok && parseRangeKey('20.1.2.3-20.1.2.9')).toEqual(parsed.ok && parsed.range);
  });

  it.each([
    ['a /24 contains an address in it', '20.1.2.0/24', '20.1.2.200', true],
    ['a /28 does not contain the next block', '20.1.2.0/28', '20.1.2.16/28', false],
  ])('%s', (_name, outer, inner, contains) => {
    expect(rangeContains(r(outer), r(inner))).toBe(contains);
  });

  it.each([
    ['20.50.1.10', true],
    ['10.1.0.0/16', false],
    ['172.20.0.1', false],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['8.0.0.0/7', true],
    ['0.0.0.0/0', false],
  ])('%s is public: %s', (value, expected) => {
    expect(isPublicRange(r(value))).toBe(expected);
  });

  it('formats the highest address', () => {
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
  });
});

describe('uuidv5', () => {
  it('matches the RFC 9562 test vector for www.example.com in the DNS namespace', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('derives our namespace reproducibly from the URL namespace', () => {
    expect(CONNECTOR_NAMESPACE).toBe(uuidv5('https://connector-functions/names', URL_NAMESPACE));
    expect(isUuid(CONNECTOR_NAMESPACE)).toBe(true);
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidv5('x', 'not-a-uuid')).toThrow(/not a UUID/);
  });
});
