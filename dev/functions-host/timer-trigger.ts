/**
 * Timer triggers, following the WebJobs TimerListener: the schedule (NCRONTAB, `%Setting%`
 * allowed) is evaluated in UTC; `runOnStartup` fires once as soon as the host starts; invocations
 * of one timer never overlap; a failed invocation is logged and the schedule goes on. The handler
 * gets the `Timer` object the host serializes (`{Schedule:{AdjustForDST}, ScheduleStatus:{Last,
 * Next, LastUpdated}, IsPastDue}`, camel-cased by the library); ScheduleStatus is null when the
 * schedule monitor is off (`useMonitor: false`, or by default for sub-minute schedules). The
 * status lives in memory, so `isPastDue` stays false across host restarts here.
 */
import type { AppSettings } from './app-settings.js';
import { resolveSettingTokens } from './app-settings.js';
import type { RegisteredFunction } from './core-api.js';
import type { TriggerInput } from './invoke.js';
import type { HostLog } from './log.js';
import {
  firesAtMostOncePerMinute,
  nextOccurrence,
  nextOccurrences,
  type NcrontabSchedule,
  parseNcrontab,
} from './ncrontab.js';

/** .NET's default(DateTime), which the host reports before the first occurrence. */
const neverIso = '0001-01-01T00:00:00.000Z';
/** Node timers hold at most ~24.8 days; longer waits are chained. */
const maxTimeoutMs = 24 * 86_400_000;

export interface TimerListener {
  readonly functionName: string;
  readonly schedule: NcrontabSchedule;
  stop(): Promise<void>;
}

export interface TimerDeps {
  readonly settings: AppSettings;
  readonly invoke: (fn: RegisteredFunction, input: TriggerInput) => Promise<unknown>;
  readonly log: HostLog;
}

interface ScheduleStatus {
  readonly Last: string;
  readonly Next: string;
  readonly LastUpdated: string;
}

/** Parses and validates a timer function's schedule; errors name the function. */
export function timerSchedule(fn: RegisteredFunction, settings: AppSettings): NcrontabSchedule {
  const raw = fn.trigger['schedule'];
  if (typeof raw !== 'string') throw new Error(`Timer function '${fn.name}' has no schedule`);
  const schedule = parseNcrontab(resolveSettingTokens(raw, settings, `Timer function '${fn.name}' schedule`));
  if (nextOccurrence(schedule, new Date()) === undefined) {
    throw new Error(`Timer function '${fn.name}': schedule '${schedule.expression}' never occurs`);
  }
  return schedule;
}

export function startTimer(fn: RegisteredFunction, deps: TimerDeps): TimerListener {
  const schedule = timerSchedule(fn, deps.settings);
  const explicitMonitor = fn.trigger['useMonitor'];
  const useMonitor =
    typeof explicitMonitor === 'boolean' ? explicitMonitor : firesAtMostOncePerMinute(schedule, new Date());
  let status: ScheduleStatus = {
    Last: neverIso,
    Next: (nextOccurrence(schedule, new Date()) as Date).toISOString(),
    LastUpdated: neverIso,
  };
  let handle: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const upcoming = nextOccurrences(schedule, new Date(), 5).map((d) => d.toISOString());
  deps.log.host(
    'information',
    `Timer '${fn.name}' schedule '${schedule.expression}' (UTC), next: ${upcoming.join(', ')}`,
  );

  async function fire(reason: string, scheduled: boolean): Promise<void> {
    const invokedAt = new Date();
    const timer = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: useMonitor ? status : null,
      IsPastDue: false,
    };
    try {
      await deps.invoke(fn, { reason, data: { json: JSON.stringify(timer) } });
    } catch {
      // Logged by the invocation; a failure never stops the schedule.
    }
    // Like the listener, never compute the next occurrence from a time before the one just served.
    const base = scheduled && new Date(status.Next) > invokedAt ? new Date(status.Next) : invokedAt;
    const next = nextOccurrence(schedule, base);
    status = {
      Last: base.toISOString(),
      Next: (next ?? base).toISOString(),
      LastUpdated: base.toISOString(),
    };
  }

  function arm(): void {
    if (stopped) return;
    const wait = new Date(status.Next).getTime() - Date.now();
    handle = setTimeout(
      () => {
        if (wait > maxTimeoutMs) return arm();
        running = fire(`Timer fired at ${new Date().toISOString()}`, true).then(arm);
      },
      Math.max(0, Math.min(wait, maxTimeoutMs)),
    );
  }

  if (fn.trigger['runOnStartup'] === true) {
    running = fire(`Timer fired at ${new Date().toISOString()} (RunOnStartup)`, false).then(arm);
  } else {
    arm();
  }

  return {
    functionName: fn.name,
    schedule,
    async stop() {
      stopped = true;
      clearTimeout(handle);
      await running;
    },
  };
}
