import { describe, expect, it } from 'vitest';
import { resolveSettingTokens } from '../../dev/functions-host/app-settings.js';
import {
  firesAtMostOncePerMinute,
  nextOccurrence,
  nextOccurrences,
  parseNcrontab,
} from '../../dev/functions-host/ncrontab.js';

// A Thursday.
const after = new Date('2026-01-15T10:20:30.400Z');

describe('NCRONTAB schedules', () => {
  it.each([
    ['every five minutes', '0 */5 * * * *', '2026-01-15T10:25:00.000Z'],
    ['every six hours', '0 0 */6 * * *', '2026-01-15T12:00:00.000Z'],
    ['09:30 on weekdays', '0 30 9 * * 1-5', '2026-01-16T09:30:00.000Z'],
    ['every 15 seconds', '*/15 * * * * *', '2026-01-15T10:20:45.000Z'],
    ['a value with a step runs from the value to the end', '10/20 * * * * *', '2026-01-15T10:20:50.000Z'],
    ['month names', '0 0 0 1 Jan *', '2027-01-01T00:00:00.000Z'],
    ['a range of month names', '0 0 0 1 Feb-Mar *', '2026-02-01T00:00:00.000Z'],
    ['abbreviated day names', '0 0 12 * * Sat', '2026-01-17T12:00:00.000Z'],
    ['day names in any case and any prefix', '0 0 0 * * tues', '2026-01-20T00:00:00.000Z'],
    ['Sunday as 0', '0 0 12 * * 0', '2026-01-18T12:00:00.000Z'],
    ['a list of days', '0 0 0 * * 0,6', '2026-01-17T00:00:00.000Z'],
    ['day of month AND day of week (Friday the 13th)', '0 0 0 13 * 5', '2026-02-13T00:00:00.000Z'],
    ['the 31st, skipping shorter months', '0 0 0 31 * *', '2026-01-31T00:00:00.000Z'],
    ['the 29th of February, in the next leap year', '0 0 0 29 2 *', '2028-02-29T00:00:00.000Z'],
    ['a reversed range, swapped as NCrontab does', '5-2 0 0 * * *', '2026-01-16T00:00:02.000Z'],
    ['the same second is not "after"', '30 20 10 15 1 *', '2027-01-15T10:20:30.000Z'],
  ])('reads %s: %s', (_name, expression, expected) => {
    expect(nextOccurrence(parseNcrontab(expression), after)?.toISOString()).toBe(expected);
  });

  it.each([
    ['five fields (classic cron)', '0 */5 * * *', /has 5 field\(s\); Functions needs 6/],
    ['a TimeSpan, which Flex Consumption does not schedule', '00:05:00', /has 1 field/],
    ['an empty schedule', '', /has 0 field/],
    [
      '7 as Sunday (NCrontab allows 0-6 only)',
      '0 0 0 * * 7',
      /7 is out of range for the day-of-week field \(0-6\)/,
    ],
    ['second 60', '60 * * * * *', /60 is out of range for the second field/],
    ['hour 24', '0 0 24 * * *', /24 is out of range for the hour field/],
    ['day 0', '0 0 0 0 * *', /0 is out of range for the day field/],
    ['month 13', '0 0 0 1 13 *', /13 is out of range for the month field/],
    ['a step of 0', '*/0 * * * * *', /step of at least 1/],
    ['an unknown month name', '0 0 0 1 Foo *', /'Foo' is not a valid month value/],
    ['a name in a numeric field', 'a * * * * *', /'a' is not a valid second value \(expected a number\)/],
    ['an empty list item', '1,,2 * * * * *', /empty list item/],
    ['a double range', '1-2-3 * * * * *', /not a valid range/],
    ['two steps', '*/2/3 * * * * *', /more than one '\/'/],
  ])('rejects %s', (_name, expression, message) => {
    expect(() => parseNcrontab(expression)).toThrow(message);
  });

  it('knows when a valid-looking schedule never fires', () => {
    expect(nextOccurrence(parseNcrontab('0 0 0 30 2 *'), after)).toBeUndefined();
  });

  it('lists consecutive occurrences', () => {
    const times = nextOccurrences(parseNcrontab('0 0 9 * * Mon'), after, 3).map((d) => d.toISOString());
    expect(times).toEqual([
      '2026-01-19T09:00:00.000Z',
      '2026-01-26T09:00:00.000Z',
      '2026-02-02T09:00:00.000Z',
    ]);
  });

  it.each([
    ['every second', '* * * * * *', false],
    ['twice a minute', '0,30 * * * * *', false],
    ['every minute', '0 * * * * *', true],
    ['hourly', '0 0 * * * *', true],
  ])(
    'keeps schedule status (useMonitor default) only for schedules of a minute or more: %s',
    (_n, expr, monitor) => {
      expect(firesAtMostOncePerMinute(parseNcrontab(expr), after)).toBe(monitor);
    },
  );

  it.each([
    ['a whole schedule', '%Sweep%', { Sweep: '0 0 * * * *' }, '0 0 * * * *'],
    ['part of a value', 'queue-%Env%', { Env: 'dev' }, 'queue-dev'],
  ])('resolves %%Setting%% in %s from app settings', (_n, raw, settings, expected) => {
    expect(resolveSettingTokens(raw, settings, 'test')).toBe(expected);
  });

  it('fails clearly when a %Setting% is missing', () => {
    expect(() => resolveSettingTokens('%Nope%', {}, "Timer function 'sweep' schedule")).toThrow(
      "Timer function 'sweep' schedule refers to app setting 'Nope' (%Nope%), which is not set",
    );
  });
});
