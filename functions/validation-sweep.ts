/**
 * Timer trigger `validationSweep` (ADR 0091): enqueues one reconcile per cluster (cause `sweep`),
 * spread over the time until the next occurrence so ARM's read limits hold. Schedule from
 * CONNECTOR_SWEEP_SCHEDULE (NCRONTAB, UTC), every 30 minutes by default; never on startup (a
 * scale-out would sweep again).
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { sweepScheduleOf, type EventSettings } from '../shared/events/settings.js';
import { runSweep, type SweepDeps, type SweepReport } from '../shared/events/sweep.js';
import { currentEventSettings, sweepDependencies } from '../shared/runtime/event-dependencies.js';
import { createLogger } from '../shared/runtime/logger.js';

/** Until the next occurrence when the schedule monitor knows it, else the schedule's period. */
export function periodUntilNext(timer: Timer | undefined, now: Date, settings: EventSettings): number {
  const next = Date.parse(timer?.scheduleStatus?.next ?? '');
  const until = next - now.getTime();
  return Number.isFinite(until) && until > 60_000 ? until : settings.sweepPeriodMs;
}

export function createValidationSweepHandler(
  deps: () => SweepDeps,
  settings: () => EventSettings,
): (timer: Timer, context: InvocationContext) => Promise<SweepReport> {
  return async (timer, context) => {
    const logger = createLogger(context, { function: 'validationSweep' });
    const s = settings();
    const d = deps();
    const budget = {
      periodMs: periodUntilNext(timer, d.clock(), s),
      readsPerReconcile: s.readsPerReconcile,
      readsPerSecond: s.sweepReadsPerSecond,
    };
    return await runSweep(d, budget, logger);
  };
}

export const validationSweep = createValidationSweepHandler(sweepDependencies, currentEventSettings);

app.timer('validationSweep', {
  schedule: sweepScheduleOf(process.env),
  runOnStartup: false,
  handler: validationSweep,
});
