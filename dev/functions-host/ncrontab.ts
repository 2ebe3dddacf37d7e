/**
 * NCRONTAB schedules as the Functions timer trigger reads them (the NCrontab library with seconds):
 * six space-separated fields `second minute hour day month day-of-week`, each `*`, a value, a range
 * `a-b`, a step `*\/n`, `a/n` or `a-b/n`, or a comma list of those. Months and days of the week also
 * take English names or any prefix of them (`Jan`, `mon`, `Tues`); day-of-week runs 0-6 with Sunday
 * = 0 (NCrontab rejects 7). Like NCrontab, a reversed range is swapped and day-of-month and
 * day-of-week must BOTH match (unlike Vixie cron, which ORs them). Stricter than NCrontab: a step
 * of 0 is an error here (NCrontab silently treats it as 1).
 */

export class NcrontabError extends Error {
  constructor(
    readonly expression: string,
    why: string,
  ) {
    super(`'${expression}' is not a valid NCRONTAB schedule: ${why}`);
    this.name = 'NcrontabError';
  }
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const fieldSpecs: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: monthNames },
  { name: 'day-of-week', min: 0, max: 6, names: dayNames },
];

/** A parsed schedule: one membership table per field, indexed by the field's value. */
export interface NcrontabSchedule {
  readonly expression: string;
  readonly seconds: readonly boolean[];
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly days: readonly boolean[];
  readonly months: readonly boolean[];
  readonly daysOfWeek: readonly boolean[];
}

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) {
      throw new NcrontabError(
        expression,
        `${value} is out of range for the ${spec.name} field (${spec.min}-${spec.max})`,
      );
    }
    return value;
  }
  const lower = text.toLowerCase();
  const index = spec.names?.findIndex((n) => n.toLowerCase().startsWith(lower)) ?? -1;
  if (text === '' || index < 0) {
    const hint = spec.names === undefined ? 'a number' : `a number or one of ${spec.names.join(', ')}`;
    throw new NcrontabError(expression, `'${text}' is not a valid ${spec.name} value (expected ${hint})`);
  }
  return index + spec.min;
}

function parseField(text: string, spec: FieldSpec, expression: string): boolean[] {
  const set: boolean[] = new Array<boolean>(spec.max + 1).fill(false);
  for (const item of text.split(',')) {
    if (item === '') throw new NcrontabError(expression, `the ${spec.name} field has an empty list item`);
    const [rangeText = '', stepText, extra] = item.split('/');
    if (extra !== undefined) throw new NcrontabError(expression, `'${item}' has more than one '/'`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new NcrontabError(expression, `'${item}' needs a whole step of at least 1 after '/'`);
      }
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (rangeText === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (rangeText.includes('-')) {
      const [a = '', b = '', more] = rangeText.split('-');
      if (more !== undefined) throw new NcrontabError(expression, `'${item}' is not a valid range`);
      [from, to] = [parseValue(a, spec, expression), parseValue(b, spec, expression)];
      if (from > to) [from, to] = [to, from];
    } else {
      from = parseValue(rangeText, spec, expression);
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) set[v] = true;
  }
  return set;
}

export function parseNcrontab(expression: string): NcrontabSchedule {
  const tokens = expression.split(' ').filter((t) => t !== '');
  if (tokens.length !== 6) {
    throw new NcrontabError(
      expression,
      `it has ${tokens.length} field(s); Functions needs 6: second minute hour day month day-of-week`,
    );
  }
  const [seconds, minutes, hours, days, months, daysOfWeek] = tokens.map((token, i) =>
    parseField(token, fieldSpecs[i] as FieldSpec, expression),
  ) as [boolean[], boolean[], boolean[], boolean[], boolean[], boolean[]];
  return { expression, seconds, minutes, hours, days, months, daysOfWeek };
}

/** How far ahead to look before declaring that a schedule never fires (e.g. 30 February). */
const searchYears = 50;

/**
 * The first occurrence strictly after `after`, in UTC, at whole-second resolution (NCrontab's
 * contract), or undefined when the schedule never fires within 50 years.
 */
export function nextOccurrence(schedule: NcrontabSchedule, after: Date): Date | undefined {
  let t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = Date.UTC(after.getUTCFullYear() + searchYears, 0, 1);
  while (t.getTime() < limit) {
    const [y, mo, d, h, mi] = [
      t.getUTCFullYear(),
      t.getUTCMonth(),
      t.getUTCDate(),
      t.getUTCHours(),
      t.getUTCMinutes(),
    ];
    if (schedule.months[mo + 1] !== true) t = new Date(Date.UTC(y, mo + 1, 1));
    else if (schedule.days[d] !== true || schedule.daysOfWeek[t.getUTCDay()] !== true) {
      t = new Date(Date.UTC(y, mo, d + 1));
    } else if (schedule.hours[h] !== true) t = new Date(Date.UTC(y, mo, d, h + 1));
    else if (schedule.minutes[mi] !== true) t = new Date(Date.UTC(y, mo, d, h, mi + 1));
    else if (schedule.seconds[t.getUTCSeconds()] !== true) t = new Date(t.getTime() + 1000);
    else return t;
  }
  return undefined;
}

export function nextOccurrences(schedule: NcrontabSchedule, after: Date, count: number): Date[] {
  const out: Date[] = [];
  let cursor = after;
  while (out.length < count) {
    const next = nextOccurrence(schedule, cursor);
    if (next === undefined) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

/**
 * Functions' default for `useMonitor`: schedule status is kept (and `isPastDue` can be true) for
 * schedules that fire at most once a minute.
 */
export function firesAtMostOncePerMinute(schedule: NcrontabSchedule, now: Date): boolean {
  const upcoming = nextOccurrences(schedule, now, 4);
  return upcoming.every((t, i) => i === 0 || t.getTime() - (upcoming[i - 1] as Date).getTime() >= 60_000);
}
