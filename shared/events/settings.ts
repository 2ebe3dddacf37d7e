/**
 * App settings of the automatic part (events, sweep, poison), parsed and validated in one place and
 * with defaults that suit production (ADR 0090, 0091). Kept apart from `runtime/settings.ts` so
 * that a bad value here is reported by the trigger that needs it, not by every HTTP request.
 */
import { SettingsError } from '../runtime/settings.js';

export interface EventSettings {
  /** Length of the dedupe window per cluster (ADR 0090); also the delay of an event's reconcile. */
  readonly eventWindowMs: number;
  /** NCRONTAB (6 fields, UTC) of the validation sweep. */
  readonly sweepSchedule: string;
  /** The sweep's period when the timer does not say when it runs next (no schedule monitor). */
  readonly sweepPeriodMs: number;
  /** ARM reads one reconcile makes (ADR 0091); sets how far apart the sweep spreads clusters. */
  readonly readsPerReconcile: number;
  /** ARM reads per second per subscription the sweep may use: a share of the 25/s refill. */
  readonly sweepReadsPerSecond: number;
}

export const eventSettingNames = {
  eventWindowSeconds: 'CONNECTOR_EVENT_WINDOW_SECONDS',
  sweepSchedule: 'CONNECTOR_SWEEP_SCHEDULE',
  readsPerReconcile: 'CONNECTOR_RECONCILE_ARM_READS',
  sweepReadsPerSecond: 'CONNECTOR_SWEEP_ARM_READS_PER_SECOND',
} as const;

// Every 30 minutes on the minute, UTC.
export const defaultSweepSchedule = '0 */30 * * * *';

export const eventDefaults = {
  eventWindowSeconds: 15,
  readsPerReconcile: 20,
  sweepReadsPerSecond: 12,
  sweepPeriodMinutes: 30,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new SettingsError(name, `must be a number from ${min} to ${max}`);
  }
  return parsed;
}

/**
 * The schedule as given, checked only for its shape (six fields): the host validates NCRONTAB
 * itself and refuses to start on a bad one (ADR 0008), which is the better error.
 */
export function sweepScheduleOf(env: Env): string {
  const value = text(env, eventSettingNames.sweepSchedule) ?? defaultSweepSchedule;
  if (value.split(/\s+/).length !== 6) {
    throw new SettingsError(
      eventSettingNames.sweepSchedule,
      'must be an NCRONTAB expression with six fields (second minute hour day month day-of-week), e.g. "0 */30 * * * *"',
    );
  }
  return value;
}

// The period of the common schedules 'every N minutes' and 'every N hours' (step in field 2 or 3).
export function periodOf(schedule: string): number | undefined {
  const minutes = /^0 \*\/(\d+) \* \* \* \*$/.exec(schedule)?.[1];
  if (minutes !== undefined) return Number(minutes) * 60_000;
  const hours = /^0 0 \*\/(\d+) \* \* \*$/.exec(schedule)?.[1];
  if (hours !== undefined) return Number(hours) * 3_600_000;
  return undefined;
}

export function loadEventSettings(env: Env): EventSettings {
  const sweepSchedule = sweepScheduleOf(env);
  return {
    eventWindowMs:
      number(env, eventSettingNames.eventWindowSeconds, eventDefaults.eventWindowSeconds, 1, 600) * 1000,
    sweepSchedule,
    sweepPeriodMs: periodOf(sweepSchedule) ?? eventDefaults.sweepPeriodMinutes * 60_000,
    readsPerReconcile: number(
      env,
      eventSettingNames.readsPerReconcile,
      eventDefaults.readsPerReconcile,
      1,
      1000,
    ),
    sweepReadsPerSecond: number(
      env,
      eventSettingNames.sweepReadsPerSecond,
      eventDefaults.sweepReadsPerSecond,
      0.1,
      25,
    ),
  };
}
