import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, startTestHost, type TestHost } from './helpers.js';

let host: TestHost;
beforeAll(async () => {
  host = await startTestHost('http-app', { StartupSchedule: '0 0 0 1 1 *', FastSchedule: '* * * * * *' });
});
afterAll(async () => {
  await host?.stop();
});

interface TimerCall {
  name: string;
  timer: { isPastDue: boolean; schedule: { adjustForDST: boolean }; scheduleStatus: unknown };
}

describe('timer triggers on the local host', () => {
  it('fires on its NCRONTAB schedule, without schedule status for a sub-minute schedule', async () => {
    const state = await pollUntil(
      async () => (await (await fetch(`${host.url}/api/state`)).json()) as { timers: TimerCall[] },
      (s) => s.timers.filter((t) => t.name === 'fastTimer').length >= 2,
    );
    for (const call of state.timers.filter((t) => t.name === 'fastTimer')) {
      expect(call.timer).toEqual({
        schedule: { adjustForDST: true },
        scheduleStatus: null,
        isPastDue: false,
      });
    }
  });

  it.each([
    [
      'a five-field cron expression',
      { FastSchedule: '0 */5 * * *' },
      /is not a valid NCRONTAB schedule: it has 5 field/,
    ],
    ['a schedule that never occurs', { FastSchedule: '0 0 0 30 2 *' }, /never occurs/],
    ['a missing %Setting%', {}, /refers to app setting 'FastSchedule' \(%FastSchedule%\), which is not set/],
  ])('refuses to start with %s', async (_name, schedules, message) => {
    await expect(startTestHost('http-app', { StartupSchedule: '0 0 0 1 1 *', ...schedules })).rejects.toThrow(
      message,
    );
  });
});
